import XDSModel

/// What a real Envoy sidecar is served instead of Istio's listeners: the same listeners, none of
/// them bound. Several Envoys share this machine and nothing may listen beyond loopback, while
/// Istio binds 0.0.0.0 (15001, 15006, a gateway's ports); with `bind_to_port: false` the
/// addresses stay Istio's, so `istioctl proxy-config listeners` on a real Envoy prints what Istio
/// prints. One rule for every listener, so no generator can hand a real Envoy a bound wildcard.
enum RealEnvoyListeners {
    static func served(_ listener: Listener) -> Listener {
        var unbound = listener
        unbound.bindToPort = false
        return unbound
    }
}
