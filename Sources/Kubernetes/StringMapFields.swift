import JSON
/// The fields Go declares as `map[string]string` in the kinds the emulator interprets. The API
/// server decodes a body into those Go types before anything else, so a non-string value (a YAML
/// `true`, a number) fails the whole request with the decoder's error, wrapped by
/// `transformDecodeError` (`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go@v1.32.0`):
/// `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into
/// Go struct field ObjectMeta.spec.template.metadata.annotations of type string`. The inner text
/// is `encoding/json`'s `UnmarshalTypeError` (as forked in `sigs.k8s.io/json`): the Go struct that
/// holds the field, the JSON path from the root, and the Go type. A JSON null decodes to the
/// zero value and is no error.
enum StringMapFields {
    /// (path from the object's root, Go struct holding the last field) for `resource`.
    static func fields(of resource: ResourceType) -> [(path: [String], goStruct: String)] {
        var fields: [(path: [String], goStruct: String)] = [(["metadata", "labels"], "ObjectMeta"), (["metadata", "annotations"], "ObjectMeta")]
        switch resource {
        case .deployments, .replicaSets:
            fields += [
                (["spec", "selector", "matchLabels"], "LabelSelector"),
                (["spec", "template", "metadata", "labels"], "ObjectMeta"),
                (["spec", "template", "metadata", "annotations"], "ObjectMeta"),
                (["spec", "template", "spec", "nodeSelector"], "PodSpec"),
            ]
        case .pods: fields.append((["spec", "nodeSelector"], "PodSpec"))
        case .services: fields.append((["spec", "selector"], "ServiceSpec"))
        case .configMaps: fields.append((["data"], "ConfigMap"))
        case .secrets: fields.append((["stringData"], "Secret"))
        default: break
        }
        return fields
    }

    /// Throws the API server's 400 for the first field, in document order, that is not a string map.
    static func check(_ object: JSONObject, resource: ResourceType) throws(WorldError) {
        let json = JSONValue.object(object)
        let topLevel = Array(object.keys)
        let ordered = fields(of: resource).sorted {
            (topLevel.firstIndex(of: $0.path[0]) ?? .max) < (topLevel.firstIndex(of: $1.path[0]) ?? .max)
        }
        for field in ordered {
            guard let value = json[path: field.path], value != .null else { continue }
            let goField = "\(field.goStruct).\(field.path.joined(separator: "."))"
            guard case .object(let map) = value else {
                throw decodeError(object, resource, "\(World.jsonTypeName(value)) into Go struct field \(goField) of type map[string]string")
            }
            for (_, entry) in map {
                switch entry {
                case .string, .null: continue
                default: throw decodeError(object, resource, "\(World.jsonTypeName(entry)) into Go struct field \(goField) of type string")
                }
            }
        }
    }

    static func decodeError(_ object: JSONObject, _ resource: ResourceType, _ detail: String) -> WorldError {
        let kind = object["kind"]?.stringValue ?? resource.kind
        let apiVersion = object["apiVersion"]?.stringValue ?? resource.apiVersion
        let version = apiVersion.split(separator: "/").last.map(String.init) ?? apiVersion
        return .badRequest("\(kind) in version \"\(version)\" cannot be handled as a \(resource.kind): json: cannot unmarshal \(detail)")
    }
}
