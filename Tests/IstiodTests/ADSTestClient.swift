// A copy of Tests/XDSServerTests/ADSTestClient.swift (test targets cannot share sources).
import XDSModel
import XDSServer
import XDSTransport
import XDSWire

/// A real ADS client for tests: one gRPC stream to an `XDSServer`, typed requests out, decoded
/// responses in. Waits are bounded so a missing response fails the test instead of hanging it.
final class ADSTestClient: Sendable {
    let channel: ClientChannel
    let call: ClientCall
    private let responses: Inbox<[UInt8]>

    init(port: Int, delta: Bool = false) throws {
        channel = try ClientChannel(target: "127.0.0.1:\(port)")
        call = try channel.makeCall(
            method: delta
                ? AggregatedDiscoveryService.deltaAggregatedResourcesPath
                : AggregatedDiscoveryService.streamAggregatedResourcesPath)
        responses = Inbox(call.messages)
    }

    func send(_ request: DiscoveryRequest) { call.send(request.wireBytes()) }
    func send(_ request: DeltaDiscoveryRequest) { call.send(request.wireBytes()) }
    func sendRaw(_ bytes: [UInt8]) { call.send(bytes) }

    /// The next response, or a thrown `TestTimeout` after `timeout`.
    func response(timeout: Duration = .seconds(10)) async throws -> DiscoveryResponse {
        try DiscoveryResponse(wireBytes: try await responses.next(timeout: timeout))
    }

    func deltaResponse(timeout: Duration = .seconds(10)) async throws -> DeltaDiscoveryResponse {
        try DeltaDiscoveryResponse(wireBytes: try await responses.next(timeout: timeout))
    }

    /// True when nothing arrives within `window` (used only to show a response was not sent; a
    /// late response would still fail a later `response()` in the same test).
    func staysQuiet(for window: Duration = .milliseconds(300)) async -> Bool {
        (try? await responses.next(timeout: window)) == nil
    }

    /// Requests then the ACK of the response, the way Envoy does for one type.
    func subscribe(_ type: TypeURL, names: [String] = [], node: Node? = nil) async throws -> DiscoveryResponse {
        send(DiscoveryRequest(node: node, resourceNames: names, typeURL: type))
        let response = try await response()
        ack(response, names: names)
        return response
    }

    func ack(_ response: DiscoveryResponse, names: [String] = []) {
        send(DiscoveryRequest(
            versionInfo: response.versionInfo, resourceNames: names, typeURL: response.typeURL,
            responseNonce: response.nonce))
    }

    var status: CallStatus { get async { await call.status } }
    func close() { call.closeSend() }
    func cancel() { call.cancel() }
}

struct TestTimeout: Error, CustomStringConvertible {
    let waited: Duration
    var description: String { "nothing arrived within \(waited)" }
}

/// Collects an AsyncStream in the background so tests can wait for the next element with a
/// bound, without losing elements that arrive after a wait gave up.
final class Inbox<Element: Sendable>: Sendable {
    private actor Buffer {
        var elements: [Element] = []
        var ended = false
        func append(_ e: Element) { elements.append(e) }
        func end() { ended = true }
        func pop() -> (Element?, Bool) { elements.isEmpty ? (nil, ended) : (elements.removeFirst(), false) }
    }
    private let buffer = Buffer()

    init(_ stream: AsyncStream<Element>) {
        Task { [buffer] in
            for await element in stream { await buffer.append(element) }
            await buffer.end()
        }
    }

    func next(timeout: Duration) async throws -> Element {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (element, ended) = await buffer.pop()
            if let element { return element }
            if ended { throw StreamEnded() }
            if ContinuousClock.now >= deadline { throw TestTimeout(waited: timeout) }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

struct StreamEnded: Error {}
