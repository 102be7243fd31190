import Foundation
import GRDB
import JSON
import Kubernetes
import KubeRuntime

/// The world on disk: one SQLite database (GRDB) with a row per object and one row of world
/// metadata. Each `save` is one transaction, committed (and synced, SQLite's default FULL
/// synchronous mode) before it returns, so a write kubectl sees acknowledged survives a crash.
///
/// Thread safety: GRDB's `DatabaseQueue` serialises access; `save` blocks for the commit and is
/// meant to be called from `LiveWorld`'s private write queue, never from the cooperative pool.
package final class SQLiteWorldStore: WorldPersistence, Sendable {
    package let path: String
    private let db: DatabaseQueue

    package struct StoreError: Error, CustomStringConvertible {
        package var description: String
    }

    /// Opens (creating if needed) the database at `path`.
    package init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        db = try DatabaseQueue(path: path)
        try db.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS object (
                        resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                        json TEXT NOT NULL, PRIMARY KEY (resource, namespace, name));
                    CREATE TABLE IF NOT EXISTS world (key TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
                    """)
        }
    }

    private static func resourceKey(_ r: ResourceType) -> String { r.group.isEmpty ? r.plural : "\(r.plural).\(r.group)" }

    private static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    package func save(_ change: WorldChange) throws {
        try db.write { db in
            for o in change.upserted {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO object (resource, namespace, name, json) VALUES (?, ?, ?, ?)",
                    arguments: [Self.resourceKey(o.resource), o.namespace, o.name, try Self.encode(o)])
            }
            for k in change.removed {
                try db.execute(
                    sql: "DELETE FROM object WHERE resource = ? AND namespace = ? AND name = ?",
                    arguments: [Self.resourceKey(k.resource), k.namespace, k.name])
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO world (key, json) VALUES ('meta', ?), ('config', ?)",
                arguments: [try Self.encode(change.meta), try Self.encode(change.config)])
        }
    }

    /// Writes a whole world (replacing whatever was stored): how a fresh state directory gets
    /// its default world.
    package func saveAll(_ world: World) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM object")
            try db.execute(sql: "DELETE FROM world")
        }
        try save(.everything(in: world))
    }

    /// The stored world, or nil when the database has never held one.
    package func load() throws -> World? {
        try db.read { db -> World? in
            guard let metaJSON = try String.fetchOne(db, sql: "SELECT json FROM world WHERE key = 'meta'"),
                let configJSON = try String.fetchOne(db, sql: "SELECT json FROM world WHERE key = 'config'")
            else { return nil }
            let meta = try Self.decode(World.WorldMeta.self, metaJSON)
            let config = try Self.decode(WorldConfig.self, configJSON)
            let objects = try String.fetchAll(db, sql: "SELECT json FROM object ORDER BY resource, namespace, name")
                .map { try Self.decode(KubeObject.self, $0) }
            return World(config: config, objects: objects, meta: meta)
        }
    }
}
