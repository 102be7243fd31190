import JSON
import Kubernetes

extension KubeObject {
    /// The object as one served version of its kind shows it. A CRD's versions share one stored
    /// form and convert with strategy `None`: only `apiVersion` changes
    /// (`apiextensions-apiserver/pkg/apiserver/conversion/nop_converter.go@v1.32.0`).
    func served(as type: ResourceType) -> KubeObject {
        guard resource.version != type.version else { return self }
        var o = self
        o.resource = type
        return o
    }
}

extension KubeObject {
    /// A dry-run update answers with the stored object's resourceVersion: nothing was written
    /// (`DryRunnableStorage.GuaranteedUpdate`, `apiserver/pkg/registry/generic/registry/dryrun.go@v1.32.0`),
    /// so `kubectl diff` shows the spec and generation changing, not the version.
    func keepingVersion(of stored: KubeObject?) -> KubeObject {
        guard let stored else { return self }
        var o = self
        o.metadata.resourceVersion = stored.metadata.resourceVersion
        return o
    }
}

extension KubeAPIHandler {
    /// Custom resources have no Go struct, hence no patch strategy: the API server refuses
    /// strategic merge patches on them with 415 (`apiserver/pkg/endpoints/handlers/patch.go`
    /// and `customresource_handler.go` at v1.32.0, which list the patch types they accept).
    static let strategicMergeOnCustomResource = WorldError(
        .unsupportedMediaType,
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )
}
