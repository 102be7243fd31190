import JSON
import Kubernetes
import Testing

/// Requests the API server refuses, with its status, message and causes: the decoder's 400 for a
/// non-string label or annotation (`encoding/json` via `transformDecodeError`), and validation's
/// 422 (`pkg/apis/apps/validation`, `pkg/apis/core/validation` at v1.32.0). A refused request
/// stores nothing.
struct APIValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var resource: ResourceType
        var body: String
        var status: Int
        var message: String
        /// `reason field` per cause, in order.
        var causes: [String] = []
        var testDescription: String { message }
    }

    static let template = #""template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}"#
    static let rfc1123 =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    static let cases: [Case] = [
        Case(
            resource: .deployments,
            body: #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"},"annotations":{"sidecar.istio.io/inject":"false","x":true}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"#,
            status: 400,
            message: #"Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.annotations of type string"#),
        Case(
            resource: .pods, body: #"{"metadata":{"name":"p","labels":{"version":2}},"spec":{"containers":[{"name":"a","image":"i"}]}}"#,
            status: 400,
            message: #"Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"#),
        Case(
            resource: .services, body: #"{"metadata":{"name":"s"},"spec":{"selector":{"app":["a"]},"ports":[{"port":80}]}}"#,
            status: 400,
            message: #"Service in version "v1" cannot be handled as a Service: json: cannot unmarshal array into Go struct field ServiceSpec.spec.selector of type string"#),
        Case(
            resource: .configMaps, body: #"{"metadata":{"name":"c","annotations":"yes"}}"#, status: 400,
            message: #"ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ObjectMeta.metadata.annotations of type map[string]string"#),
        Case(
            resource: .deployments, body: #"{"metadata":{"name":"web"},"spec":{"# + template + "}}", status: 422,
            message: #"Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]"#,
            causes: ["FieldValueRequired spec.selector", "FieldValueInvalid spec.template.metadata.labels"]),
        Case(
            resource: .deployments, body: #"{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{}},"# + template + "}}",
            status: 422,
            message: #"Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"#,
            causes: ["FieldValueInvalid spec.selector"]),
        Case(
            resource: .deployments,
            body: #"{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app"}]}}}}"#,
            status: 422, message: #"Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value"#,
            causes: ["FieldValueRequired spec.template.spec.containers[0].image"]),
        Case(
            resource: .pods, body: #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"Web_1","image":"i"},{"image":"i"}]}}"#,
            status: 422,
            message: #"Pod "p" is invalid: [spec.containers[0].name: Invalid value: "Web_1": "# + rfc1123 + #", spec.containers[1].name: Required value]"#,
            causes: ["FieldValueInvalid spec.containers[0].name", "FieldValueRequired spec.containers[1].name"]),
        Case(
            resource: .pods, body: #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"i"},{"name":"a","image":"i"}]}}"#,
            status: 422, message: #"Pod "p" is invalid: spec.containers[1].name: Duplicate value: "a""#,
            causes: ["FieldValueDuplicate spec.containers[1].name"]),
        Case(
            resource: .pods, body: #"{"metadata":{"name":"p"},"spec":{}}"#, status: 422,
            message: #"Pod "p" is invalid: spec.containers: Required value"#, causes: ["FieldValueRequired spec.containers"]),
        Case(
            resource: .services, body: #"{"metadata":{"name":"s"},"spec":{"selector":{"app":"a"},"ports":[{"port":80},{"port":81}]}}"#,
            status: 422, message: #"Service "s" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]"#,
            causes: ["FieldValueRequired spec.ports[0].name", "FieldValueRequired spec.ports[1].name"]),
        Case(
            resource: .services, body: #"{"metadata":{"name":"s"},"spec":{"ports":[{"port":80,"protocol":"HTTP"}]}}"#, status: 422,
            message: #"Service "s" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#,
            causes: ["FieldValueNotSupported spec.ports[0].protocol"]),
        Case(
            resource: .services, body: #"{"metadata":{"name":"s"},"spec":{"ports":[{"port":0,"targetPort":"web_port"}]}}"#, status: 422,
            message: #"Service "s" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)]"#,
            causes: ["FieldValueInvalid spec.ports[0].port", "FieldValueInvalid spec.ports[0].targetPort"]),
        Case(
            resource: .configMaps, body: #"{"metadata":{"name":"c","labels":{"a/b/c":"x","ok":"-bad"},"annotations":{"/x":"1"}}}"#,
            status: 422,
            message: #"ConfigMap "c" is invalid: [metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), metadata.annotations: Invalid value: "/x": prefix part must be non-empty]"#,
            causes: ["FieldValueInvalid metadata.labels", "FieldValueInvalid metadata.labels", "FieldValueInvalid metadata.annotations"]),
        Case(
            resource: .deployments,
            body: #"{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web","v":"1.0!"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"#,
            status: 422,
            message: #"Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: "1.0!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#,
            causes: ["FieldValueInvalid spec.template.metadata.labels"]),
        Case(
            resource: .services, body: #"{"metadata":{"name":"s"},"spec":{}}"#, status: 422,
            message: #"Service "s" is invalid: spec.ports: Required value"#, causes: ["FieldValueRequired spec.ports"]),
    ]

    @Test(arguments: cases)
    func refusedAsTheAPIServerRefusesIt(_ c: Case) throws {
        var world = try EndpointsControllerTests.world()
        let before = world
        let error = try #require(Self.refusal(&world, try JSONValue(parsing: c.body), c.resource), "accepted: \(c.body)")
        #expect(error.code.httpStatus == c.status)
        #expect(error.message == c.message)
        #expect(error.causes.map { "\($0.reason) \($0.field)" } == c.causes)
        #expect(world.objects == before.objects && world.resourceVersion == before.resourceVersion)
    }

    /// Decodes and creates as the API server does; the error, or nil if the object was stored.
    static func refusal(_ world: inout World, _ json: JSONValue, _ resource: ResourceType) -> WorldError? {
        do throws(WorldError) {
            _ = try world.create(try KubeObject(json: json, resource: resource))
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidDeploymentKeepsEveryTemplateAnnotationOnItsPods() throws {
        var world = try EndpointsControllerTests.world()
        let body = #"{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"},"annotations":{"sidecar.istio.io/inject":"false","x":"true"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"#
        _ = try world.create(try KubeObject(json: try JSONValue(parsing: body), resource: .deployments))
        let pod = try #require(world.list(.pods).first)
        #expect(pod.metadata.annotations == ["sidecar.istio.io/inject": "false", "x": "true"])
    }
}
