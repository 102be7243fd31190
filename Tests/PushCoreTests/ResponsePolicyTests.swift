import Testing
import XDSModel
@testable import PushCore

/// The respond-or-not decision, case by case (after Istio's shouldRespond and the xDS ACK/NACK rules).
struct ResponsePolicyTests {
    static let eds = TypeURL.endpoint

    static func sent(_ names: Set<String>, wildcard: Bool = false, nonce: String = "n1") -> Watch {
        var w = Watch(wildcard: wildcard, names: names)
        w.sentNonce = Nonce(nonce)
        w.sentVersion = ResourceVersion("v1")
        return w
    }

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let request: DiscoveryRequest
        let watch: Watch?
        let decision: RequestDecision
        let wildcard: Bool
        let names: Set<String>
    }

    static let nack = RPCStatus(code: 3, message: "bad cluster")
    static let cases: [Case] = [
        Case(description: "first wildcard request", request: .init(typeURL: .cluster), watch: nil,
             decision: .respond, wildcard: true, names: []),
        Case(description: "first request by name", request: .init(resourceNames: ["a", "b"], typeURL: eds), watch: nil,
             decision: .respond, wildcard: false, names: ["a", "b"]),
        Case(description: "explicit * is wildcard", request: .init(resourceNames: ["*"], typeURL: eds), watch: nil,
             decision: .respond, wildcard: true, names: []),
        Case(description: "ACK, same names", request: .init(versionInfo: .init("v1"), resourceNames: ["a"], typeURL: eds, responseNonce: .init("n1")),
             watch: sent(["a"]), decision: .ack, wildcard: false, names: ["a"]),
        Case(description: "ACK of wildcard", request: .init(versionInfo: .init("v1"), typeURL: .cluster, responseNonce: .init("n1")),
             watch: sent([], wildcard: true), decision: .ack, wildcard: true, names: []),
        Case(description: "ACK that adds a name responds", request: .init(versionInfo: .init("v1"), resourceNames: ["a", "b"], typeURL: eds, responseNonce: .init("n1")),
             watch: sent(["a"]), decision: .respond, wildcard: false, names: ["a", "b"]),
        Case(description: "ACK that drops a name does not", request: .init(versionInfo: .init("v1"), resourceNames: ["a"], typeURL: eds, responseNonce: .init("n1")),
             watch: sent(["a", "b"]), decision: .ack, wildcard: false, names: ["a"]),
        Case(description: "NACK records and does not respond", request: .init(versionInfo: .init("v0"), resourceNames: ["a"], typeURL: eds, responseNonce: .init("n1"), errorDetail: nack),
             watch: sent(["a"]), decision: .nack(nack), wildcard: false, names: ["a"]),
        Case(description: "stale nonce is ignored", request: .init(versionInfo: .init("v0"), resourceNames: ["a", "z"], typeURL: eds, responseNonce: .init("n0")),
             watch: sent(["a"]), decision: .staleNonce, wildcard: false, names: ["a"]),
        Case(description: "a request without nonce restarts the exchange", request: .init(resourceNames: ["c"], typeURL: eds),
             watch: sent(["a"]), decision: .respond, wildcard: false, names: ["c"]),
        Case(description: "a nonce this server never sent (reconnect) gets a response",
             request: .init(versionInfo: .init("old"), resourceNames: ["a"], typeURL: eds, responseNonce: .init("other-server-7")),
             watch: nil, decision: .respond, wildcard: false, names: ["a"]),
    ]

    @Test(arguments: cases)
    func stateOfTheWorld(_ c: Case) {
        let (decision, watch) = ResponsePolicy.decide(c.request, watch: c.watch)
        #expect(decision == c.decision)
        #expect(watch.wildcard == c.wildcard)
        #expect(watch.names == c.names)
    }

    @Test func ackRecordsVersionAndClearsTheLastNack() {
        var w = Self.sent(["a"])
        w.lastNack = Self.nack
        let (_, after) = ResponsePolicy.decide(
            DiscoveryRequest(versionInfo: .init("v1"), resourceNames: ["a"], typeURL: Self.eds, responseNonce: .init("n1")), watch: w)
        #expect(after.ackedNonce == Nonce("n1"))
        #expect(after.ackedVersion == ResourceVersion("v1"))
        #expect(after.lastNack == nil)
        #expect(after.isInSync)
    }

    @Test func nackKeepsTheAckedVersion() {
        var w = Self.sent(["a"], nonce: "n2")
        w.ackedNonce = Nonce("n1")
        w.ackedVersion = ResourceVersion("v1")
        let (_, after) = ResponsePolicy.decide(
            DiscoveryRequest(versionInfo: .init("v1"), resourceNames: ["a"], typeURL: Self.eds, responseNonce: .init("n2"), errorDetail: Self.nack), watch: w)
        #expect(after.ackedVersion == ResourceVersion("v1"))
        #expect(after.lastNack == Self.nack)
        #expect(!after.isInSync)
    }

    // MARK: Delta

    @Test func deltaFirstRequestTakesInitialVersions() {
        let (decision, w) = ResponsePolicy.decide(
            DeltaDiscoveryRequest(typeURL: Self.eds, resourceNamesSubscribe: ["a"], initialResourceVersions: ["a": "h1"]), watch: nil)
        #expect(decision == .respond)
        #expect(!w.wildcard)
        #expect(w.known == ["a": ResourceVersion("h1")])
    }

    @Test func deltaLegacyWildcard() {
        let (decision, w) = ResponsePolicy.decide(DeltaDiscoveryRequest(typeURL: .cluster), watch: nil)
        #expect(decision == .respond)
        #expect(w.wildcard)
    }

    @Test func deltaSubscribeRespondsWithOnlyTheNewNames() {
        let (decision, w) = ResponsePolicy.decide(
            DeltaDiscoveryRequest(typeURL: Self.eds, resourceNamesSubscribe: ["a", "b"]), watch: Self.sent(["a"]))
        #expect(decision == .respondNames(["b"]))
        #expect(w.names == ["a", "b"])
    }

    @Test func deltaUnsubscribeForgetsWhatTheClientHeld() {
        var held = Self.sent(["a", "b"])
        held.known = ["a": .init("1"), "b": .init("2")]
        let (decision, w) = ResponsePolicy.decide(
            DeltaDiscoveryRequest(typeURL: Self.eds, resourceNamesUnsubscribe: ["b"]), watch: held)
        #expect(decision == RequestDecision.none)
        #expect(w.names == ["a"])
        #expect(w.known == ["a": .init("1")])
    }

    @Test func deltaAckNackAndStale() {
        let ack = ResponsePolicy.decide(DeltaDiscoveryRequest(typeURL: Self.eds, responseNonce: .init("n1")), watch: Self.sent(["a"]))
        #expect(ack.0 == .ack)
        #expect(ack.1.isInSync)
        let nack = ResponsePolicy.decide(
            DeltaDiscoveryRequest(typeURL: Self.eds, responseNonce: .init("n1"), errorDetail: Self.nack), watch: Self.sent(["a"]))
        #expect(nack.0 == .nack(Self.nack))
        let stale = ResponsePolicy.decide(DeltaDiscoveryRequest(typeURL: Self.eds, responseNonce: .init("n0")), watch: Self.sent(["a"]))
        #expect(stale.0 == .staleNonce)
        // A subscription change is never lost, whatever nonce it rides on.
        let staleSub = ResponsePolicy.decide(
            DeltaDiscoveryRequest(typeURL: Self.eds, resourceNamesSubscribe: ["q"], responseNonce: .init("n0")), watch: Self.sent(["a"]))
        #expect(staleSub.0 == .respondNames(["q"]))
    }
}
