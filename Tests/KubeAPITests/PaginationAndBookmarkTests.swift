@testable import KubeAPI
import JSON
import Kubernetes
import KubeRuntime
import Testing

/// List pagination, watch bookmarks and server-side apply's HTTP rules through the facade,
/// without HTTP: what the API server answers for each (sources in docs/emulated-cluster.md).
struct PaginationAndBookmarkTests {
    static let now = Timestamp(seconds: 1_767_225_600)

    /// A cluster with namespace `default` and ConfigMaps cm-0…cm-(n-1).
    static func cluster(configMaps n: Int) async throws -> LiveWorld {
        var w = World(now: now)
        _ = try w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "default")))
        let c = LiveWorld(world: w, clock: ManualClock(now))
        for i in 0..<n {
            _ = try await c.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "cm-\(i)", namespace: "default")))
        }
        return c
    }

    static func get(_ h: KubeAPIHandler, _ query: [String: String], path: String = "/api/v1/namespaces/default/configmaps") async -> (Int, JSONValue) {
        guard case .json(let status, let body) = await h.respond(.init(method: "GET", path: path, query: query)) else { return (0, .null) }
        return (status, body)
    }

    static func names(_ list: JSONValue) -> [String] {
        (list["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    @Test func pagesFollowTheFirstPagesVersionAcrossWrites() async throws {
        let c = try await Self.cluster(configMaps: 5)
        let h = KubeAPIHandler(cluster: c, serverAddress: "127.0.0.1:1")
        let (s1, p1) = await Self.get(h, ["limit": "2"])
        #expect(s1 == 200)
        #expect(Self.names(p1) == ["cm-0", "cm-1"])
        #expect(p1[path: ["metadata", "remainingItemCount"]] == 3)
        let token = try #require(p1[path: ["metadata", "continue"]]?.stringValue)
        let rv = p1[path: ["metadata", "resourceVersion"]]

        // Writes between pages do not show: the rest comes from the first page's world.
        _ = try await c.delete(ObjectKey(.configMaps, namespace: "default", name: "cm-3"))
        _ = try await c.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "cm-9", namespace: "default")))
        let (_, p2) = await Self.get(h, ["limit": "2", "continue": token])
        #expect(Self.names(p2) == ["cm-2", "cm-3"])
        #expect(p2[path: ["metadata", "resourceVersion"]] == rv)
        let token2 = try #require(p2[path: ["metadata", "continue"]]?.stringValue)
        let (_, p3) = await Self.get(h, ["limit": "2", "continue": token2])
        #expect(Self.names(p3) == ["cm-4"])
        #expect(p3[path: ["metadata", "continue"]] == nil)
        #expect(p3[path: ["metadata", "remainingItemCount"]] == nil)

        // A filtered list does not count what is left.
        let (_, filtered) = await Self.get(h, ["limit": "1", "fieldSelector": "metadata.namespace=default"])
        #expect(filtered[path: ["metadata", "continue"]] != nil)
        #expect(filtered[path: ["metadata", "remainingItemCount"]] == nil)
    }

    @Test func aTokenWhoseWorldIsGoneIs410WithAnInconsistentToken() async throws {
        let c = try await Self.cluster(configMaps: 3)
        let h = KubeAPIHandler(cluster: c, serverAddress: "127.0.0.1:1")
        let (_, first) = await Self.get(h, ["limit": "1"])
        let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
        // Eight newer paginated lists, each at its own version, push the first one's world out.
        for i in 0..<LiveWorld.snapshotCapacity {
            _ = try await c.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "x-\(i)", namespace: "default")))
            _ = await Self.get(h, ["limit": "1"])
        }
        let (status, expired) = await Self.get(h, ["limit": "1", "continue": token])
        #expect(status == 410)
        #expect(expired["reason"] == "Expired")
        #expect(expired["message"]?.stringValue?.hasPrefix("The provided continue parameter is too old to display a consistent list result.") == true)
        let retry = try #require(expired[path: ["metadata", "continue"]]?.stringValue)
        let (again, rest) = await Self.get(h, ["limit": "100", "continue": retry])
        #expect(again == 200)
        #expect(Self.names(rest) == ["cm-1", "cm-2"] + (0..<LiveWorld.snapshotCapacity).map { "x-\($0)" })
    }

    @Test func badTokensAndOptionsAreTheAPIServers400s() async throws {
        let c = try await Self.cluster(configMaps: 3)
        let h = KubeAPIHandler(cluster: c, serverAddress: "127.0.0.1:1")
        let (s1, b1) = await Self.get(h, ["continue": "%%%"])
        #expect(s1 == 400)
        #expect(b1["message"]?.stringValue?.hasPrefix("continue key is not valid") == true)
        let (_, first) = await Self.get(h, ["limit": "1"])
        let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
        let (s2, b2) = await Self.get(h, ["continue": token, "resourceVersion": "5"])
        #expect(s2 == 400)
        #expect(b2["message"] == "specifying resource version is not allowed when using continue")
        let (s3, b3) = await Self.get(h, ["watch": "true", "sendInitialEvents": "true"])
        #expect(s3 == 422)
        #expect(b3["message"] == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")
    }

    /// Reads up to `count` events (bounded in time by the watch's own timeout).
    static func events(_ r: KubeResponse, count: Int) async -> [JSONValue] {
        guard case .watch(let stream) = r else { return [] }
        var out: [JSONValue] = []
        for await e in stream {
            out.append(e)
            if out.count == count { break }
        }
        return out
    }

    @Test func watchListSendsInitialEventsThenAnAnnotatedBookmark() async throws {
        let c = try await Self.cluster(configMaps: 2)
        let h = KubeAPIHandler(cluster: c, serverAddress: "127.0.0.1:1")
        let rv = c.world.resourceVersion
        let r = await h.respond(
            .init(
                method: "GET", path: "/api/v1/namespaces/default/configmaps",
                query: [
                    "watch": "true", "sendInitialEvents": "true", "resourceVersionMatch": "NotOlderThan",
                    "allowWatchBookmarks": "true", "timeoutSeconds": "10",
                ]))
        let events = await Self.events(r, count: 3)
        #expect(events.map { $0["type"] } == ["ADDED", "ADDED", "BOOKMARK"])
        #expect(events.last?["object"] == [
            "kind": "ConfigMap", "apiVersion": "v1",
            "metadata": ["resourceVersion": .string(String(rv)), "annotations": ["k8s.io/initial-events-end": "true"]],
        ])
    }

    @Test func bookmarksComePeriodicallyAndAtTheEndWithTheNewestVersionSeen() async throws {
        let c = try await Self.cluster(configMaps: 1)
        var h = KubeAPIHandler(cluster: c, serverAddress: "127.0.0.1:1")
        h.bookmarkInterval = .milliseconds(20)
        let from = c.world.resourceVersion
        let r = await h.respond(
            .init(method: "GET", path: "/api/v1/namespaces/default/configmaps", query: ["watch": "true", "resourceVersion": String(from), "allowWatchBookmarks": "true", "timeoutSeconds": "30"]))
        // A change to another kind moves the version a bookmark reports without an event here.
        _ = try await c.create(KubeObject(resource: .secrets, metadata: ObjectMeta(name: "s", namespace: "default")))
        let after = c.world.resourceVersion
        guard case .watch(let stream) = r else {
            Issue.record("expected a watch")
            return
        }
        var seen: [JSONValue] = []
        for await e in stream {
            seen.append(e)
            if e[path: ["object", "metadata", "resourceVersion"]] == .string(String(after)) || seen.count > 1000 { break }
        }
        #expect(seen.allSatisfy { $0["type"] == "BOOKMARK" })
        #expect(seen.last?[path: ["object", "metadata", "resourceVersion"]] == .string(String(after)))

        // timeoutSeconds ends the watch with a last bookmark.
        var h2 = h
        h2.bookmarkInterval = .seconds(3600)
        let quiet = await h2.respond(
            .init(method: "GET", path: "/api/v1/namespaces/default/configmaps", query: ["watch": "true", "resourceVersion": String(after), "allowWatchBookmarks": "true", "timeoutSeconds": "1"]))
        let ending = await Self.events(quiet, count: 100)
        #expect(ending.map { $0["type"] } == ["BOOKMARK"])
    }

    @Test func aWatchFromACompactedVersionIsAnErrorEventWithTheCachersWording() async throws {
        // A LiveWorld keeps events from its own start: the version of the world it began with.
        let world = try await Self.cluster(configMaps: 1).world
        let floor = world.resourceVersion
        let fresh = KubeAPIHandler(cluster: LiveWorld(world: world, clock: ManualClock(Self.now)), serverAddress: "127.0.0.1:1")
        let events = await Self.events(
            await fresh.respond(.init(method: "GET", path: "/api/v1/configmaps", query: ["watch": "true", "resourceVersion": "1"])), count: 2)
        #expect(events.count == 1)
        #expect(events.first?["type"] == "ERROR")
        #expect(events.first?[path: ["object", "code"]] == 410)
        #expect(events.first?[path: ["object", "reason"]] == "Expired")
        #expect(events.first?[path: ["object", "message"]] == .string("too old resource version: 1 (\(floor))"))
    }

    @Test func applyNeedsAFieldManagerAndForceIsOnlyForApply() async throws {
        let c = try await Self.cluster(configMaps: 1)
        let h = KubeAPIHandler(cluster: c, serverAddress: "127.0.0.1:1")
        let path = "/api/v1/namespaces/default/configmaps/cm-0"
        let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-0"},"data":{"a":"b"}}"#.utf8)
        guard case .json(let s1, let b1) = await h.respond(.init(method: "PATCH", path: path, contentType: "application/apply-patch+yaml", body: body)) else { return }
        #expect(s1 == 422)
        #expect(b1["message"] == "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        #expect(b1[path: ["details", "kind"]] == "PatchOptions")
        guard case .json(let s2, let b2) = await h.respond(.init(method: "PATCH", path: path, query: ["force": "true"], contentType: "application/merge-patch+json", body: Array(#"{"data":{"a":"b"}}"#.utf8))) else { return }
        #expect(s2 == 422)
        #expect(b2["message"] == "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch")

        // YAML bodies are decoded too; a missing object is created (201).
        let yaml = Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  n: \"1\"\n  m: x\n".utf8)
        guard case .json(let s3, let b3) = await h.respond(.init(method: "PATCH", path: "/api/v1/namespaces/default/configmaps/fresh", query: ["fieldManager": "me"], contentType: "application/apply-patch+yaml", body: yaml)) else { return }
        #expect(s3 == 201, "\(b3)")
        #expect(b3["data"] == ["n": "1", "m": "x"])
        #expect(b3[path: ["metadata", "managedFields"]]?.arrayValue?.first?["manager"] == "me")

        // Other writes record the user agent's product when no fieldManager is given.
        guard case .json(_, let b4) = await h.respond(.init(method: "PATCH", path: path, contentType: "application/merge-patch+json", body: Array(#"{"data":{"x":"y"}}"#.utf8), userAgent: "OpenAPI-Generator/31.0.0/python")) else { return }
        #expect(b4[path: ["metadata", "managedFields"]]?.arrayValue?.first?["manager"] == "OpenAPI-Generator")
    }
}
