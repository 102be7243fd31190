import JSON
import Kubernetes

/// Hand-written OpenAPI schemas for the built-in kinds: the main fields of each, with a one-line
/// description, under the definition names the API server uses (`io.k8s.api.apps.v1.Deployment`).
/// Enough for `kubectl explain deployment.spec.replicas`; the full Kubernetes spec (several MB)
/// is not vendored, so fields outside these lists are not described.
enum OpenAPISchemas {
    static func string(_ d: String) -> JSONValue { ["type": "string", "description": .string(d)] }
    static func integer(_ d: String) -> JSONValue { ["type": "integer", "format": "int32", "description": .string(d)] }
    static func boolean(_ d: String) -> JSONValue { ["type": "boolean", "description": .string(d)] }
    static func stringMap(_ d: String) -> JSONValue {
        ["type": "object", "additionalProperties": ["type": "string", "default": ""], "description": .string(d)]
    }
    static func ref(_ name: String, _ d: String) -> JSONValue {
        ["allOf": [["$ref": .string("#/components/schemas/\(name)")]], "description": .string(d)]
    }
    static func list(_ name: String, _ d: String) -> JSONValue {
        ["type": "array", "items": ["allOf": [["$ref": .string("#/components/schemas/\(name)")]], "default": .object([:])], "description": .string(d)]
    }
    static func strings(_ d: String) -> JSONValue { ["type": "array", "items": ["type": "string", "default": ""], "description": .string(d)] }
    static func object(_ d: String, _ fields: KeyValuePairs<String, JSONValue>, required: [String] = []) -> JSONValue {
        var properties: JSONObject = [:]
        for (k, v) in fields { properties[k] = v }
        var o: JSONObject = ["type": "object", "description": .string(d), "properties": .object(properties)]
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        return .object(o)
    }
    static let free: JSONValue = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]

    static let meta = "io.k8s.apimachinery.pkg.apis.meta.v1."
    static let core = "io.k8s.api.core.v1."
    static let apps = "io.k8s.api.apps.v1."
    static let admission = "io.k8s.api.admissionregistration.v1."
    static let apiextensions = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."

    /// The definition name of a built-in kind.
    static func definitionName(_ r: ResourceType) -> String? {
        switch r {
        case .deployments, .replicaSets: apps + r.kind
        case .mutatingWebhookConfigurations, .validatingWebhookConfigurations: admission + r.kind
        case .customResourceDefinitions: apiextensions + r.kind
        default: r.group.isEmpty ? core + r.kind : nil
        }
    }

    /// What every top-level kind has besides its own fields.
    static func kind(_ d: String, _ fields: KeyValuePairs<String, JSONValue>) -> JSONValue {
        var o = object(d, fields)
        o["properties"]?["apiVersion"] = string("APIVersion defines the versioned schema of this representation of an object.")
        o["properties"]?["kind"] = string("Kind is a string value representing the REST resource this object represents.")
        o["properties"]?["metadata"] = ref(meta + "ObjectMeta", "Standard object's metadata.")
        return o
    }

    /// The definitions that are not kinds, which kinds refer to: in every document.
    static let shared = [
        meta + "ObjectMeta", meta + "LabelSelector", core + "PodSpec", core + "Container", core + "PodTemplateSpec",
        apps + "DeploymentSpec",
    ]

    /// Every definition, shared ones included.
    static let definitions: [String: JSONValue] = [
        meta + "ObjectMeta": object(
            "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            [
                "name": string("Name must be unique within a namespace."),
                "generateName": string("GenerateName is an optional prefix, used by the server, to generate a unique name."),
                "namespace": string("Namespace defines the space within which each name must be unique."),
                "uid": string("UID is the unique in time and space value for this object."),
                "resourceVersion": string("An opaque value that represents the internal version of this object."),
                "generation": ["type": "integer", "format": "int64", "description": "A sequence number representing a specific generation of the desired state."],
                "creationTimestamp": string("CreationTimestamp is a timestamp representing the server time when this object was created."),
                "deletionTimestamp": string("DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."),
                "labels": stringMap("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
                "annotations": stringMap("Annotations is an unstructured key value map stored with a resource that may be set by external tools."),
                "ownerReferences": ["type": "array", "items": free, "description": "List of objects depended by this object."],
                "finalizers": strings("Must be empty before the object is deleted from the registry."),
            ]),
        meta + "LabelSelector": object(
            "A label selector is a label query over a set of resources.",
            [
                "matchLabels": stringMap("matchLabels is a map of {key,value} pairs."),
                "matchExpressions": ["type": "array", "items": free, "description": "matchExpressions is a list of label selector requirements."],
            ]),
        core + "Pod": kind(
            "Pod is a collection of containers that can run on a host.",
            ["spec": ref(core + "PodSpec", "Specification of the desired behavior of the pod."), "status": free]),
        core + "PodSpec": object(
            "PodSpec is a description of a pod.",
            [
                "containers": list(core + "Container", "List of containers belonging to the pod."),
                "initContainers": list(core + "Container", "List of initialization containers belonging to the pod."),
                "serviceAccountName": string("ServiceAccountName is the name of the ServiceAccount to use to run this pod."),
                "nodeName": string("NodeName indicates in which node this pod is scheduled."),
                "hostNetwork": boolean("Host networking requested for this pod."),
                "restartPolicy": string("Restart policy for all containers within the pod."),
                "terminationGracePeriodSeconds": ["type": "integer", "format": "int64", "description": "Optional duration in seconds the pod needs to terminate gracefully."],
            ], required: ["containers"]),
        core + "Container": object(
            "A single application container that you want to run within a pod.",
            [
                "name": string("Name of the container specified as a DNS_LABEL."),
                "image": string("Container image name."),
                "imagePullPolicy": string("Image pull policy. One of Always, Never, IfNotPresent."),
                "command": strings("Entrypoint array."),
                "args": strings("Arguments to the entrypoint."),
                "ports": ["type": "array", "items": free, "description": "List of ports to expose from the container."],
                "env": ["type": "array", "items": free, "description": "List of environment variables to set in the container."],
            ], required: ["name"]),
        core + "PodTemplateSpec": object(
            "PodTemplateSpec describes the data a pod should have when created from a template.",
            [
                "metadata": ref(meta + "ObjectMeta", "Standard object's metadata."),
                "spec": ref(core + "PodSpec", "Specification of the desired behavior of the pod."),
            ]),
        core + "Service": kind(
            "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
            [
                "spec": object(
                    "ServiceSpec describes the attributes that a user creates on a service.",
                    [
                        "type": string("type determines how the Service is exposed."),
                        "clusterIP": string("clusterIP is the IP address of the service."),
                        "selector": stringMap("Route service traffic to pods with label keys and values matching this selector."),
                        "ports": ["type": "array", "items": free, "description": "The list of ports that are exposed by this service."],
                    ]),
                "status": free,
            ]),
        core + "Namespace": kind(
            "Namespace provides a scope for Names.",
            ["spec": object("NamespaceSpec describes the attributes on a Namespace.", ["finalizers": strings("Finalizers is an opaque list of values that must be empty to permanently remove object from storage.")]), "status": free]),
        core + "ConfigMap": kind(
            "ConfigMap holds configuration data for pods to consume.",
            ["data": stringMap("Data contains the configuration data."), "binaryData": stringMap("BinaryData contains the binary data.")]),
        core + "Secret": kind(
            "Secret holds secret data of a certain type.",
            [
                "data": stringMap("Data contains the secret data, base64 encoded."), "stringData": stringMap("stringData allows specifying non-binary secret data in string form."),
                "type": string("Used to facilitate programmatic handling of secret data."),
            ]),
        core + "ServiceAccount": kind(
            "ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets.",
            ["secrets": ["type": "array", "items": free, "description": "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."]]),
        core + "Event": kind(
            "Event is a report of an event somewhere in the cluster.",
            [
                "reason": string("This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
                "message": string("A human-readable description of the status of this operation."),
                "type": string("Type of this event (Normal, Warning)."),
                "involvedObject": free,
            ]),
        apps + "Deployment": kind(
            "Deployment enables declarative updates for Pods and ReplicaSets.",
            ["spec": ref(apps + "DeploymentSpec", "Specification of the desired behavior of the Deployment."), "status": free]),
        apps + "DeploymentSpec": object(
            "DeploymentSpec is the specification of the desired behavior of the Deployment.",
            [
                "replicas": integer("Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."),
                "selector": ref(meta + "LabelSelector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
                "template": ref(core + "PodTemplateSpec", "Template describes the pods that will be created."),
                "strategy": free,
                "revisionHistoryLimit": integer("The number of old ReplicaSets to retain to allow rollback."),
                "minReadySeconds": integer("Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available."),
                "paused": boolean("Indicates that the deployment is paused."),
                "progressDeadlineSeconds": integer("The maximum time in seconds for a deployment to make progress before it is considered to be failed."),
            ], required: ["selector", "template"]),
        apps + "ReplicaSet": kind(
            "ReplicaSet ensures that a specified number of pod replicas are running at any given time.",
            [
                "spec": object(
                    "ReplicaSetSpec is the specification of a ReplicaSet.",
                    [
                        "replicas": integer("Replicas is the number of desired pods."),
                        "selector": ref(meta + "LabelSelector", "Selector is a label query over pods that should match the replica count."),
                        "template": ref(core + "PodTemplateSpec", "Template is the object that describes the pod that will be created if insufficient replicas are detected."),
                    ]),
                "status": free,
            ]),
        admission + "MutatingWebhookConfiguration": kind(
            "MutatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and may change the object.",
            ["webhooks": ["type": "array", "items": free, "description": "Webhooks is a list of webhooks and the affected resources and operations."]]),
        admission + "ValidatingWebhookConfiguration": kind(
            "ValidatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and object without changing it.",
            ["webhooks": ["type": "array", "items": free, "description": "Webhooks is a list of webhooks and the affected resources and operations."]]),
        apiextensions + "CustomResourceDefinition": kind(
            "CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.",
            [
                "spec": object(
                    "CustomResourceDefinitionSpec describes how a user wants their resource to appear",
                    [
                        "group": string("group is the API group of the defined custom resource."),
                        "names": free, "scope": string("scope indicates whether the defined custom resource is cluster- or namespace-scoped."),
                        "versions": ["type": "array", "items": free, "description": "versions is the list of all API versions of the defined custom resource."],
                    ], required: ["group", "names", "scope", "versions"]),
                "status": free,
            ]),
    ]
}
