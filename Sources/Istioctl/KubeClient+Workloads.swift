import Kubernetes

extension KubeClient {
    /// A Deployment's pods (its `selector.matchLabels`), live ones only, by name.
    func pods(of deployment: KubeObject) async throws -> [KubeObject] {
        let selector = (deployment.spec[path: ["selector", "matchLabels"]]?.stringMap ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return try await list(.pods, namespace: deployment.namespace, labelSelector: selector)
            .filter { !$0.isTerminating }.sorted { $0.name < $1.name }
    }
}
