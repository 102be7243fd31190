import PushCore
import XDSModel
import XDSTransport
import XDSWire

/// A request with no type URL: on an aggregated stream nothing says what it asks for, so the
/// stream ends with INVALID_ARGUMENT, as go-control-plane's ADS server ends it, rather than being
/// answered as an unknown (empty) type.
struct MissingTypeURL: Error, CustomStringConvertible {
    var description: String { "type URL is required for ADS" }
}

extension XDSServer {
    static let missingTypeURL = MissingTypeURL()

    /// Serves one ADS call until the client closes it, cancels it or sends something malformed.
    func serve(_ call: ServerCall) async {
        let kind: StreamKind =
            call.method == AggregatedDiscoveryService.deltaAggregatedResourcesPath ? .delta : .stateOfTheWorld
        let id = streams.add(call)
        core.open(id, kind: kind)
        var failure: String?
        for await bytes in call.messages {
            do {
                let dispatches: [Dispatch<Payload>]
                switch kind {
                case .stateOfTheWorld:
                    let request = try DiscoveryRequest(wireBytes: bytes)
                    guard !request.typeURL.rawValue.isEmpty else { throw Self.missingTypeURL }
                    dispatches = core.receive(request, on: id, now: now).dispatches
                case .delta:
                    let request = try DeltaDiscoveryRequest(wireBytes: bytes)
                    guard !request.typeURL.rawValue.isEmpty else { throw Self.missingTypeURL }
                    dispatches = core.receive(request, on: id, now: now).dispatches
                }
                send(dispatches)
            } catch let error as WireError {
                failure = "malformed \(kind == .delta ? "DeltaDiscoveryRequest" : "DiscoveryRequest"): \(error.message)"
                break
            } catch {
                failure = "\(error)"
                break
            }
        }
        streams.remove(id)
        send(core.close(id))
        if let failure {
            call.finish(.invalidArgument, message: failure)
        } else {
            // The client half-closed (or went away, in which case this is ignored).
            call.finish(.ok)
        }
        _ = await call.waitForEnd()
    }

    /// Starts the sends the push core asked for. Each completion frees its slot, which may start
    /// more sends; those are started here too, without recursion.
    func send(_ dispatches: [Dispatch<Payload>]) {
        var work = dispatches
        while let dispatch = work.popLast() {
            guard let call = streams.call(dispatch.stream) else {
                work += core.sendCompleted(dispatch.stream, ok: false)
                continue
            }
            let stream = dispatch.stream
            // A refused send (the call is ending) reports itself through the same callback.
            call.send(dispatch.payload) { [self] ok in
                send(core.sendCompleted(stream, ok: ok))
            }
        }
    }

    /// Publishes debounced changes when they are due: one timer task at a time, which sleeps to the
    /// core's next deadline and exits when nothing is waiting.
    func armDebounceTimer() {
        debounceTimer.withLock { timer in
            guard timer == nil else { return }
            timer = Task { [self] in
                while let deadline = core.nextReleaseDeadline, !Task.isCancelled {
                    try? await clock.sleep(until: origin + deadline)
                    send(core.releaseDue(now: now))
                }
                debounceTimer.withLock { $0 = nil }
                // A change staged between the last check and clearing the timer re-arms it.
                if core.nextReleaseDeadline != nil, !Task.isCancelled { armDebounceTimer() }
            }
        }
    }
}
