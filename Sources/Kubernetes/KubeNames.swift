import JSON
/// Kubernetes' naming alphabets (`k8s.io/apimachinery/pkg/util/rand`): no vowels, no 0/1/3, so
/// generated names never spell words.
package enum KubeNames {
    package static let alphanums = Array("bcdfghjklmnpqrstvwxz2456789")

    /// `utilrand.String(5)`: the suffix of a generated pod name.
    package static func suffix(_ count: Int = 5, using rng: inout SeededRandom) -> String {
        String((0..<count).map { _ in alphanums[Int(rng.next() % UInt64(alphanums.count))] })
    }

    /// `rand.SafeEncodeString`: maps each character to `alphanums[c % 27]`.
    package static func safeEncode(_ s: String) -> String {
        String(s.unicodeScalars.map { alphanums[Int($0.value) % alphanums.count] })
    }

    /// The pod-template hash, `ComputeHash(template, collisionCount)`: FNV-32a over the template
    /// (Kubernetes dumps it with spew; a canonical JSON dump serves the same purpose), then the
    /// decimal of the hash safe-encoded, which is why such hashes contain only `[4-9bcdf]`.
    package static func podTemplateHash(_ template: JSONValue, collisionCount: Int64 = 0) -> String {
        var hash: UInt32 = 2_166_136_261
        func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for b in bytes {
                hash ^= UInt32(b)
                hash = hash &* 16_777_619
            }
        }
        add(template.canonicalJSON.utf8)
        if collisionCount != 0 {
            // Kubernetes writes the collision count as a little-endian uint32.
            let c = UInt32(truncatingIfNeeded: collisionCount)
            add([UInt8(c & 0xff), UInt8(c >> 8 & 0xff), UInt8(c >> 16 & 0xff), UInt8(c >> 24)])
        }
        return safeEncode(String(hash))
    }

    /// A random RFC 4122-shaped UID.
    package static func uid(using rng: inout SeededRandom) -> String {
        let a = rng.next(), b = rng.next()
        func hex(_ v: UInt64, _ n: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let s = hex(a, 16) + hex(b, 16)
        let c = Array(s)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-4" + String(c[13..<16]) + "-a"
            + String(c[17..<20]) + "-" + String(c[20..<32])
    }

    /// `generateName` + suffix, with the base cut to 58 characters as the API server does.
    package static func generated(from base: String, using rng: inout SeededRandom) -> String {
        String(base.prefix(58)) + suffix(using: &rng)
    }
}
