import Hummingbird
import JSON
import Kubernetes
import KubeRuntime

extension KubeAPIHandler {
    /// `GET /api/v1/namespaces/NS/pods/NAME/log`: the container's lines as plain text; with
    /// `follow`, every later line too, until the client leaves or the pod's containers stop.
    func log(_ key: ObjectKey, _ request: Request) throws(WorldError) -> KubeResponse {
        let options = try PodLogRequest(query: request.query)
        guard let pod = cluster.get(key) else { throw .notFound(key.resource, key.name) }
        let name = try options.resolve(in: pod)
        let container = ContainerLogs.Container(namespace: key.namespace, pod: key.name, name: name)
        let now = cluster.clock.now()
        guard let logs else { return .text(AsyncStream { $0.finish() }) }
        guard options.follow, !pod.isTerminating else {
            let text = options.render(logs.lines(container), now: now)
            return .text(AsyncStream { c in
                if !text.isEmpty { c.yield(text) }
                c.finish()
            })
        }
        let (past, next) = logs.follow(container)
        let first = options.render(past, now: now)
        return .text(AsyncStream { c in
            if !first.isEmpty { c.yield(first) }
            let task = Task {
                for await line in next { c.yield(options.format(line)) }
                c.finish()
            }
            c.onTermination = { _ in task.cancel() }
        })
    }
}

/// A body written as its chunks arrive (a watch, a followed log); ends when the stream ends or
/// the client goes (the failed write ends the iteration, which cancels the producers).
func chunkedResponse(contentType: String, _ chunks: AsyncStream<String>) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = contentType
    headers[.transferEncoding] = "chunked"
    return Response(
        status: .ok, headers: headers,
        body: ResponseBody { writer in
            for await chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
            try await writer.finish(nil)
        })
}
