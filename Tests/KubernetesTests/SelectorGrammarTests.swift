import Kubernetes
import Testing

/// The API server's label selector grammar: what it accepts and, for what it refuses, its exact
/// 400 message (apimachinery `pkg/labels/selector.go`). A selector it refuses must never select
/// anything here.
struct SelectorGrammarTests {
    static let labels = ["app": "details", "version": "v1", "replicas": "7", "empty": ""]

    static let accepted: [(String, Bool)] = [
        ("x in (foo,,baz),y,z notin ()", false), ("app in ()", false), ("empty in ()", true), ("empty in (,)", true),
        ("replicas>5", true), ("replicas<5", false), ("app>5", false), ("app in (details, reviews)", true),
        ("in in (in)", false), ("!x, app", true), ("app=", false), ("empty=", true), ("app!=,version", true),
        ("  app  =  details  ", true), ("example.com/tier notin (a)", true),
    ]

    @Test(arguments: accepted)
    func accepts(selector: String, matches: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(Self.labels) == matches)
    }

    static let refused: [(String, String)] = [
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!!", "unable to parse requirement: found '!', expected: identifier"),
        ("app,", "found '', expected: identifier after ','"),
        (",", "found ',', expected: !, identifier, or 'end of string'"),
        ("(((", "found '(', expected: !, identifier, or 'end of string'"),
        ("a==b==c", "found '==', expected: ',' or 'end of string'"),
        ("!app=details", "found '=', expected: ',' or 'end of string'"),
        ("app details", "unable to parse requirement: found 'details', expected: in, notin, =, ==, !=, gt, lt"),
        ("app in a", "unable to parse requirement: found 'a' expected: '('"),
        ("app in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("app in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("replicas>seven", "unable to parse requirement: values[0]: Invalid value: \"seven\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("-app=x", "unable to parse requirement: <nil>: Invalid value: \"-app\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        ("a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        ("app=-x", "unable to parse requirement: values[0]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
    ]

    @Test(arguments: refused)
    func refusesAsTheAPIServerDoes(selector: String, message: String) {
        #expect {
            try LabelSelector(parsing: selector)
        } throws: { error in
            guard let error = error as? WorldError else { return false }
            return error.code == .badRequest && error.message == message
        }
    }
}
