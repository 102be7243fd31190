import XDSModel
import XDSServer
import XDSTransport
import XDSWire

/// A real ADS client for tests: one gRPC stream to an `XDSServer`, typed requests out, decoded
/// responses in. Waits are bounded so a missing response fails the test instead of hanging it.
package final class ADSTestClient: Sendable {
    package let channel: ClientChannel
    package let call: ClientCall
    private let responses: Inbox<[UInt8]>

    package init(port: Int, delta: Bool = false) throws {
        channel = try ClientChannel(target: "127.0.0.1:\(port)")
        call = try channel.makeCall(
            method: delta
                ? AggregatedDiscoveryService.deltaAggregatedResourcesPath
                : AggregatedDiscoveryService.streamAggregatedResourcesPath)
        responses = Inbox(call.messages)
    }

    package func send(_ request: DiscoveryRequest) { call.send(request.wireBytes()) }
    package func send(_ request: DeltaDiscoveryRequest) { call.send(request.wireBytes()) }
    package func sendRaw(_ bytes: [UInt8]) { call.send(bytes) }

    /// The next response, or a thrown `TestTimeout` after `timeout` (generous, as `eventually`'s:
    /// a starved test process must not read as a silent server).
    package func response(timeout: Duration = .seconds(120)) async throws -> DiscoveryResponse {
        try DiscoveryResponse(wireBytes: try await responses.next(timeout: timeout))
    }

    package func deltaResponse(timeout: Duration = .seconds(120)) async throws -> DeltaDiscoveryResponse {
        try DeltaDiscoveryResponse(wireBytes: try await responses.next(timeout: timeout))
    }

    /// True when nothing arrives within `window` (used only to show a response was not sent; a
    /// late response would still fail a later `response()` in the same test).
    package func staysQuiet(for window: Duration = .milliseconds(300)) async -> Bool {
        (try? await responses.next(timeout: window)) == nil
    }

    /// Requests then the ACK of the response, the way Envoy does for one type.
    package func subscribe(_ type: TypeURL, names: [String] = [], node: Node? = nil) async throws -> DiscoveryResponse {
        send(DiscoveryRequest(node: node, resourceNames: names, typeURL: type))
        let response = try await response()
        ack(response, names: names)
        return response
    }

    package func ack(_ response: DiscoveryResponse, names: [String] = []) {
        send(DiscoveryRequest(
            versionInfo: response.versionInfo, resourceNames: names, typeURL: response.typeURL,
            responseNonce: response.nonce))
    }

    package var status: CallStatus { get async { await call.status } }
    package func close() { call.closeSend() }
    package func cancel() { call.cancel() }
}

package struct TestTimeout: Error, CustomStringConvertible {
    package let waited: Duration
    package var description: String { "nothing arrived within \(waited)" }
}

/// Collects an AsyncStream in the background so tests can wait for the next element with a
/// bound, without losing elements that arrive after a wait gave up.
package final class Inbox<Element: Sendable>: Sendable {
    private actor Buffer {
        var elements: [Element] = []
        var ended = false
        func append(_ e: Element) { elements.append(e) }
        func end() { ended = true }
        func pop() -> (Element?, Bool) { elements.isEmpty ? (nil, ended) : (elements.removeFirst(), false) }
    }
    private let buffer = Buffer()

    package init(_ stream: AsyncStream<Element>) {
        Task { [buffer] in
            for await element in stream { await buffer.append(element) }
            await buffer.end()
        }
    }

    package func next(timeout: Duration) async throws -> Element {
        var element: Element?
        do {
            try await eventually(timeout: timeout, pollingEvery: .milliseconds(2)) {
                let (popped, ended) = await buffer.pop()
                if ended { throw StreamEnded() }
                element = popped
                return popped != nil
            }
        } catch is ConditionTimedOut {
            throw TestTimeout(waited: timeout)
        }
        return element!
    }
}

package struct StreamEnded: Error {}
