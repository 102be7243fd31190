import Istio
import Testing

/// Each behaviour's boundary: the last release before it lacks it, the introducing release has it,
/// and where it was removed, the last release with it has it and the removing one lacks it again.
/// Written out here rather than read from the table, so a changed row fails a test.
struct ReleaseTableTests {
    struct Boundary: CustomTestStringConvertible, Sendable {
        var behavior: IstioBehavior
        var lacking: [String]
        var having: [String]
        var testDescription: String { behavior.rawValue }

        init(_ behavior: IstioBehavior, lacks lacking: [String] = [], has having: [String]) {
            self.behavior = behavior
            self.lacking = lacking
            self.having = having
        }
    }

    static let boundaries: [Boundary] = [
        // What an install renders.
        Boundary(.revisionLabelOnControlPlane, lacks: ["1.5.4"], has: ["1.6.0", "1.20.0"]),
        Boundary(.revisionLabelOnPilotComponent, lacks: ["1.5.4"], has: ["1.6.0", "1.20.0"]),
        Boundary(.revisionLabelOnEveryComponent, lacks: ["1.6.14"], has: ["1.7.0"]),
        Boundary(.istioPilotService, lacks: ["1.6.0"], has: ["1.4.0", "1.5.10"]),
        Boundary(.istiodControlPlane, lacks: ["1.5.10"], has: ["1.6.0"]),
        Boundary(.istiodDNSPort, lacks: ["1.5.10", "1.6.5"], has: ["1.6.0", "1.6.4"]),
        Boundary(.istiodDNSTLSPort, lacks: ["1.5.10", "1.8.0"], has: ["1.6.0", "1.7.8"]),
        Boundary(.canonicalLabelsOnGateways, lacks: ["1.4.10"], has: ["1.5.0", "1.6.0"]),
        Boundary(.telemetryEnvoyFilters, lacks: ["1.4.9"], has: ["1.5.0"]),
        Boundary(.prometheusAddon, lacks: ["1.7.0"], has: ["1.5.0", "1.6.14"]),
        Boundary(.prometheusValuesSwitch, lacks: ["1.6.0"], has: ["1.4.0", "1.5.10"]),
        // Injection.
        Boundary(.injectionLabelOverridesRevision, lacks: ["1.5.10"], has: ["1.6.0"]),
        Boundary(.perPodRevisionWebhooks, lacks: ["1.9.9"], has: ["1.10.0"]),
        Boundary(.admissionRegistrationV1, lacks: ["1.9.9"], has: ["1.10.0"]),
        Boundary(.admissionReviewV1, lacks: ["1.6.14"], has: ["1.7.0"]),
        Boundary(.revisionLabelOnPods, lacks: ["1.5.10", "1.11.0"], has: ["1.6.0", "1.10.6"]),
        Boundary(.revisionInStatusAnnotation, lacks: ["1.10.6"], has: ["1.11.0"]),
        Boundary(.canonicalLabelsOnInjectedPods, lacks: ["1.4.10"], has: ["1.5.0"]),
        Boundary(.injectionLabelOnPods, lacks: ["1.11.8"], has: ["1.12.0"]),
        Boundary(.injectValueTrueOrFalse, lacks: ["1.26.8"], has: ["1.27.0"]),
        Boundary(.defaultTag, lacks: ["1.11.8"], has: ["1.12.0"]),
        Boundary(.xdsThroughAgent, lacks: ["1.7.8"], has: ["1.8.0", "1.30.0"]),
        // What istioctl accepts and prints.
        Boundary(.revisionFlag, lacks: ["1.5.10"], has: ["1.6.0", "1.8.6"]),
        Boundary(.revisionNameValidation, lacks: ["1.8.6"], has: ["1.9.0"]),
        Boundary(.revisionSelectsControlPlane, lacks: ["1.5.10"], has: ["1.6.0"]),
        Boundary(.versionSkipsGateways, lacks: ["1.5.10"], has: ["1.6.0"]),
        Boundary(.versionAsksIstiodPods, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.istioctlAsksIstiod, lacks: ["1.5.10"], has: ["1.6.0"]),
        Boundary(.istiodColumnInProxyStatus, lacks: ["1.6.14"], has: ["1.7.0"]),
        Boundary(.clusterColumnInProxyStatus, lacks: ["1.12.9"], has: ["1.13.0"]),
        Boundary(.ecdsColumnInProxyStatus, lacks: ["1.13.9"], has: ["1.14.0"]),
        Boundary(.destinationRuleColumn, lacks: ["1.6.14"], has: ["1.7.0"]),
        Boundary(.circuitBreakersInClusterStatus, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.observabilityNameInClusterStatus, lacks: ["1.9.9"], has: ["1.10.0"]),
        Boundary(.edsServiceNameInClusterStatus, lacks: ["1.15.7"], has: ["1.16.0"]),
        // Which commands istioctl has.
        Boundary(.experimentalUninstallCommand, lacks: ["1.6.14"], has: ["1.7.0"]),
        Boundary(.uninstallCommand, lacks: ["1.14.9"], has: ["1.15.0"]),
        Boundary(.revisionCommand, lacks: ["1.9.9", "1.21.0", "1.22.0"], has: ["1.10.0", "1.20.8"]),
        Boundary(.experimentalTagCommand, lacks: ["1.9.9", "1.20.0"], has: ["1.10.0", "1.19.10"]),
        Boundary(.tagCommand, lacks: ["1.10.6"], has: ["1.11.0"]),
        Boundary(.checkInjectCommand, lacks: ["1.15.7"], has: ["1.16.0"]),
        Boundary(.adsNewConnectionLog, lacks: ["1.7.0"], has: ["1.8.0", "1.20.0"]),
        Boundary(.connectionIDFromProxyID, lacks: ["1.10.0"], has: ["1.11.0"]),
        Boundary(.pushLogVersion, lacks: ["1.8.0"], has: ["1.9.0"]),
        Boundary(.pushLogWithoutTrigger, lacks: ["1.18.0"], has: ["1.19.0"]),
        Boundary(.agentXDSProxyLog, lacks: ["1.8.0"], has: ["1.9.0"]),
        Boundary(.envoyLogLocation, lacks: ["1.16.0"], has: ["1.17.0"]),
        // Install objects, injection and CLI rules from 1.6 to 1.30.
        Boundary(.gatewayStatusPort15021, lacks: ["1.5.10"], has: ["1.6.0", "1.30.0"]),
        Boundary(.perRevisionValidator, lacks: ["1.10.6"], has: ["1.11.0", "1.30.0"]),
        Boundary(.defaultValidationInRevisionValidator, lacks: ["1.10.6", "1.12.0"], has: ["1.11.0", "1.11.8"]),
        Boundary(.istiodServiceForRevisions, lacks: ["1.9.9", "1.11.0"], has: ["1.10.0", "1.10.6"]),
        Boundary(.defaultTagOnInstall, lacks: ["1.11.8"], has: ["1.12.0", "1.29.0", "1.30.0"]),
        Boundary(.installSaysMakingDefault, lacks: ["1.11.8", "1.19.0"], has: ["1.12.0", "1.18.7"]),
        Boundary(.installSaysMadeDefault, lacks: ["1.18.7", "1.23.0"], has: ["1.19.0", "1.22.8"]),
        Boundary(.installSaysMadeDefaultClusterWide, lacks: ["1.22.8", "1.24.0"], has: ["1.23.0", "1.23.6"]),
        Boundary(.defaultTagSkipsRevisionCollision, lacks: ["1.11.8"], has: ["1.12.0", "1.30.0"]),
        Boundary(.defaultTagRemovesBaseValidator, lacks: ["1.11.8", "1.22.0"], has: ["1.12.0", "1.21.6"]),
        Boundary(.injectorIgnoresNodeLeaseNamespaces, lacks: ["1.8.6"], has: ["1.9.0", "1.20.0"]),
        Boundary(.uninstallChecksRevision, lacks: ["1.15.7"], has: ["1.16.0", "1.30.0"]),
        Boundary(.proxyTypeInVersionOutput, lacks: ["1.18.7"], has: ["1.19.0"]),
        Boundary(.revisionInVersionOutput, lacks: ["1.19.10"], has: ["1.20.0"]),
        Boundary(.enabledComponentsErrorPrefix, lacks: ["1.8.0", "1.9.0"], has: ["1.8.1", "1.8.6"]),
        Boundary(.prunedObjectNamedByGroupVersionKind, lacks: ["1.23.6"], has: ["1.24.0", "1.30.0"]),
        Boundary(.tagLooksUpRevisionServices, lacks: ["1.27.9"], has: ["1.28.0", "1.30.0"]),
        // istioctl's command surface.
        Boundary(.installCommand, lacks: ["1.5.10"], has: ["1.6.0", "1.30.0"]),
        Boundary(.manifestApplyCommand, lacks: ["1.7.0"], has: ["1.5.0", "1.6.14"]),
        Boundary(.analyzerPrecheck, lacks: ["1.9.9"], has: ["1.10.0", "1.30.0"]),
        Boundary(.precheckSentenceStop, lacks: ["1.23.6"], has: ["1.24.0"]),
        Boundary(.cliContextFlagWording, lacks: ["1.18.7"], has: ["1.19.0"]),
        Boundary(.impersonateFlags, lacks: ["1.23.6"], has: ["1.24.0"]),
        Boundary(.kubeTimeoutFlag, lacks: ["1.26.6"], has: ["1.27.0"]),
        Boundary(.completionCommand, lacks: ["1.10.6"], has: ["1.11.0"]),
        Boundary(.capitalisedCompletionShort, lacks: ["1.12.9"], has: ["1.13.0"]),
        Boundary(.upgradeCommand, lacks: ["1.4.9"], has: ["1.5.0", "1.30.0"]),
        Boundary(.installPromptAlways, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.installPromptNamesRelease, lacks: ["1.8.6"], has: ["1.9.0"]),
        Boundary(.installPromptComponentsSentence, lacks: ["1.18.7"], has: ["1.19.0"]),
        Boundary(.installPromptProfileQuoted, lacks: ["1.23.6"], has: ["1.24.0"]),
        Boundary(.installApplyAlias, lacks: ["1.8.6"], has: ["1.9.0"]),
        Boundary(.typedProxyTargets, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.proxyStatusNamespaceFilter, lacks: ["1.18.7"], has: ["1.19.0"]),
        Boundary(.controlPlaneRevisionShorthand, lacks: ["1.9.9"], has: ["1.10.0"]),
        Boundary(.capitalisedRevisionFlagHelp, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.analyzeFormattingPackage, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.namespaceNotInjectedIsInfo, lacks: ["1.7.8"], has: ["1.8.0"]),
        Boundary(.slashedOriginNames, lacks: ["1.11.8"], has: ["1.12.0"]),
        Boundary(.podNameInMissingProxy, lacks: ["1.13.9"], has: ["1.14.0"]),
        Boundary(.proxyImageMismatchAnalyzer, lacks: ["1.18.0"], has: ["1.5.0", "1.17.8"]),
        Boundary(.webhookAnalyzer, lacks: ["1.9.9"], has: ["1.10.0"]),
        Boundary(.precheckShortCapitalised, lacks: ["1.16.7"], has: ["1.17.0"]),
        Boundary(.precheckShortUpgraded, lacks: ["1.18.7"], has: ["1.19.0"]),
        Boundary(.upgradeVersionCheck, lacks: ["1.13.0"], has: ["1.6.0", "1.12.9"]),
        Boundary(.revisionDescribeCommand, lacks: ["1.9.9", "1.21.0"], has: ["1.10.0", "1.20.8"]),
        Boundary(.installVersionDiffWarning, lacks: ["1.8.6", "1.19.0"], has: ["1.9.0", "1.18.7"]),
        Boundary(.inPlaceUpgradeWarning, lacks: ["1.18.7"], has: ["1.19.0", "1.30.0"]),
        Boundary(.versionDiffPerRevision, lacks: ["1.19.9"], has: ["1.20.0"]),
        Boundary(.camelCaseDocumentationURL, lacks: ["1.9.9"], has: ["1.10.0"]),
        Boundary(.listenerMatchColumns, lacks: ["1.6.14"], has: ["1.7.0", "1.20.0"]),
        Boundary(.listenerAddressesColumn, lacks: ["1.18.7"], has: ["1.19.0"]),
        Boundary(.routeMatchColumns, lacks: ["1.6.14"], has: ["1.7.0", "1.20.0"]),
        Boundary(.routeVirtualHostColumn, lacks: ["1.17.8"], has: ["1.18.0"]),
    ]

    @Test(arguments: boundaries)
    func boundary(_ b: Boundary) throws {
        for text in b.having {
            let release = try #require(IstioVersion(text))
            #expect(release.has(b.behavior), "\(text) should have \(b.behavior)")
        }
        for text in b.lacking {
            let release = try #require(IstioVersion(text))
            #expect(!release.has(b.behavior), "\(text) should lack \(b.behavior)")
        }
    }

    @Test func everyBehaviourHasABoundary() {
        #expect(Set(Self.boundaries.map(\.behavior)) == Set(IstioBehavior.allCases))
        #expect(Self.boundaries.count == IstioBehavior.allCases.count)
    }

    /// Every row names a file in istio/istio at a release tag, and has a start or an end.
    @Test(arguments: IstioBehavior.allCases)
    func row(_ behavior: IstioBehavior) throws {
        let row = ReleaseTable.row(behavior)
        #expect(row.introduced != nil || row.removed != nil)
        if let introduced = row.introduced, let removed = row.removed { #expect(introduced < removed) }
        let parts = row.source.split(separator: "@")
        try #require(parts.count == 2, "\(row.source) is not path@tag")
        #expect(!parts[0].hasPrefix("/") && parts[0].contains("."))
        #expect(IstioVersion(String(parts[1])) != nil, "\(parts[1]) is not a release tag")
    }

    /// Introduced is inclusive, removed exclusive.
    @Test func rangeEnds() {
        let row = ReleaseTable.row(.revisionLabelOnPods)
        #expect(row.contains(IstioVersion(1, 6, 0)))
        #expect(row.contains(IstioVersion(1, 10, 99)))
        #expect(!row.contains(IstioVersion(1, 11, 0)))
        #expect(!row.contains(IstioVersion(1, 5, 99)))
    }
}
