import Istio
import Kubernetes
import Testing

/// istiod's and the proxy's log lines in each release's words (rows of `ReleaseTable`).
struct IstioLogFormatTests {
    static let node = "sidecar~10.244.0.12~details-v1-5f4d8b6c9-x2x7q.default~default.svc.cluster.local"
    static let at = Timestamp(milliseconds: 1_591_776_721_123)  // 2020-06-10T08:12:01.123Z

    @Test func istiodLinesPerRelease() throws {
        let old = IstioLogFormat(version: .v1_6_0)
        let new = IstioLogFormat(version: try #require(IstioVersion("1.20.0")))
        let oldID = old.connectionID(nodeID: Self.node, number: 3)
        let newID = new.connectionID(nodeID: Self.node, number: 3)
        #expect(oldID == Self.node + "-3")
        #expect(newID == "details-v1-5f4d8b6c9-x2x7q.default-3")
        #expect(old.newConnection(oldID, at: Self.at) == "2020-06-10T08:12:01.123000Z\tinfo\tads\tADS:CDS: REQ \(oldID) version:")
        #expect(new.newConnection(newID, at: Self.at) == "2020-06-10T08:12:01.123000Z\tinfo\tads\tADS: new connection for node:\(newID)")
        #expect(
            old.nack(oldID, type: "CDS", code: "Internal", message: "bad cluster", at: Self.at)
                == "2020-06-10T08:12:01.123000Z\twarn\tads\tADS:CDS: ACK ERROR \(oldID) Internal:bad cluster")
        #expect(
            old.push(version: "v/1", services: 9, connected: 7, at: Self.at)
                == "2020-06-10T08:12:01.123000Z\tinfo\tads\tXDS: Pushing:v/1 Services:9 ConnectedEndpoints:7")
        #expect(
            IstioLogFormat(version: try #require(IstioVersion("1.9.0"))).push(version: "v/1", services: 9, connected: 7, at: Self.at)
                .hasSuffix("XDS: Pushing:v/1 Services:9 ConnectedEndpoints:7  Version:v/1"))
        #expect(new.push(version: "v/1", services: 9, connected: 7, at: Self.at).hasSuffix("\tXDS: Pushing Services:9 ConnectedEndpoints:7 Version:v/1"))
    }

    @Test func proxyLinesPerRelease() throws {
        let old = IstioLogFormat(version: .v1_6_0)
        let new = IstioLogFormat(version: try #require(IstioVersion("1.20.0")))
        #expect(old.proxyConnected(to: "istiod.istio-system.svc:15012", at: Self.at) == nil)
        #expect(
            new.proxyConnected(to: "istiod.istio-system.svc:15012", at: Self.at)
                == "2020-06-10T08:12:01.123000Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012")
        let url = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
        #expect(
            old.rejected(url, message: "no endpoints", at: Self.at)
                == "2020-06-10T08:12:01.123000Z\twarning\tenvoy config\tgRPC config for \(url) rejected: no endpoints")
        #expect(
            new.rejected(url, message: "no endpoints", at: Self.at)
                == "2020-06-10T08:12:01.123000Z\twarning\tenvoy config external/envoy/source/common/config/grpc_subscription_impl.cc:0\tgRPC config for \(url) rejected: no endpoints\tthread=1")
    }
}
