// CGRPCShim — see include/CGRPCShim.h for the contract.
#define _GNU_SOURCE
#include <pthread.h>
#include "CGRPCShim.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct CGRPCShim_tag {
  int kind;
  int heap;  // 1: malloc'ed standalone tag, freed by CGRPCShim_next
  void *owner;
  struct CGRPCShim_call *call;
} CGRPCShim_tag;

struct CGRPCShim_call {
  grpc_call *call;
  CGRPCShim_tag tags[CGRPCShim_KIND_COUNT];
  // Server: filled by request_call.
  grpc_call_details details;
  grpc_metadata_array request_metadata;
  // Client: filled by RECV_INITIAL_METADATA / RECV_STATUS_ON_CLIENT.
  grpc_metadata_array initial_metadata;
  grpc_metadata_array trailing_metadata;
  grpc_status_code status;
  grpc_slice status_details;
  // Server: filled by RECV_CLOSE_ON_SERVER.
  int cancelled;
  // The receive slot of the one RECV_MESSAGE in flight.
  grpc_byte_buffer *received;
  // The byte buffer of the one SEND_MESSAGE in flight; destroyed when its tag completes.
  grpc_byte_buffer *sending;
  // The status message of SEND_STATUS_FROM_SERVER; kept until destroy to be safe.
  grpc_slice sent_details;
  int has_sent_details;
};

struct CGRPCShim_payload {
  grpc_slice slice;
};

void CGRPCShim_init(void) { grpc_init(); }

void CGRPCShim_set_thread_name(const char *name) {
#if defined(__linux__)
  char truncated[16];
  strncpy(truncated, name, sizeof(truncated) - 1);
  truncated[sizeof(truncated) - 1] = 0;
  pthread_setname_np(pthread_self(), truncated);
#elif defined(__APPLE__)
  pthread_setname_np(name);
#endif
}

// MARK: Completion queues

grpc_completion_queue *CGRPCShim_cq_create(void) {
  return grpc_completion_queue_create_for_next(NULL);
}

CGRPCShim_event CGRPCShim_next(grpc_completion_queue *cq) {
  CGRPCShim_event out = {0, 0, 0, NULL};
  grpc_event ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
  switch (ev.type) {
    case GRPC_OP_COMPLETE: {
      CGRPCShim_tag *tag = (CGRPCShim_tag *)ev.tag;
      out.type = CGRPCShim_EVENT_COMPLETE;
      out.kind = tag->kind;
      out.success = ev.success;
      out.owner = tag->owner;
      if (tag->kind == CGRPCShim_KIND_SEND && tag->call != NULL && tag->call->sending != NULL) {
        grpc_byte_buffer_destroy(tag->call->sending);
        tag->call->sending = NULL;
      }
      if (tag->heap) free(tag);
      break;
    }
    case GRPC_QUEUE_SHUTDOWN:
      out.type = CGRPCShim_EVENT_SHUTDOWN;
      break;
    default:
      out.type = CGRPCShim_EVENT_TIMEOUT;
      break;
  }
  return out;
}

void CGRPCShim_channel_destroy(grpc_channel *channel) { grpc_channel_destroy(channel); }

void CGRPCShim_server_start(grpc_server *server, grpc_completion_queue *accept_cq,
                            grpc_completion_queue *call_cq) {
  // Both queues are registered before start, as gRPC requires of any queue a server uses.
  grpc_server_register_completion_queue(server, accept_cq, NULL);
  grpc_server_register_completion_queue(server, call_cq, NULL);
  grpc_server_start(server);
}

void CGRPCShim_server_cancel_all_calls(grpc_server *server) { grpc_server_cancel_all_calls(server); }

void CGRPCShim_server_destroy(grpc_server *server) { grpc_server_destroy(server); }

void CGRPCShim_cq_shutdown(grpc_completion_queue *cq) { grpc_completion_queue_shutdown(cq); }

void CGRPCShim_cq_destroy(grpc_completion_queue *cq) { grpc_completion_queue_destroy(cq); }

// MARK: Payloads

CGRPCShim_payload *CGRPCShim_payload_create(const void *bytes, size_t length) {
  CGRPCShim_payload *payload = malloc(sizeof(CGRPCShim_payload));
  payload->slice = length == 0 ? grpc_empty_slice()
                               : grpc_slice_from_copied_buffer((const char *)bytes, length);
  return payload;
}

size_t CGRPCShim_payload_length(const CGRPCShim_payload *payload) {
  return GRPC_SLICE_LENGTH(payload->slice);
}

void CGRPCShim_payload_copy(const CGRPCShim_payload *payload, void *out) {
  size_t length = GRPC_SLICE_LENGTH(payload->slice);
  if (length > 0) memcpy(out, GRPC_SLICE_START_PTR(payload->slice), length);
}

void CGRPCShim_payload_destroy(CGRPCShim_payload *payload) {
  grpc_slice_unref(payload->slice);
  free(payload);
}

// MARK: Channel args

static grpc_arg int_arg(const char *key, int value) {
  grpc_arg arg;
  arg.type = GRPC_ARG_INTEGER;
  arg.key = (char *)key;  // read during create only; string literals
  arg.value.integer = value;
  return arg;
}

// MARK: Server

grpc_server *CGRPCShim_server_create(CGRPCShim_server_limits limits) {
  grpc_arg args[11];
  size_t n = 0;
  args[n++] = int_arg(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
                      limits.max_receive_message_bytes > 0 ? limits.max_receive_message_bytes : -1);
  args[n++] = int_arg(GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, -1);
  args[n++] = int_arg(GRPC_ARG_KEEPALIVE_TIME_MS, limits.keepalive_time_ms > 0 ? limits.keepalive_time_ms : INT_MAX);
  if (limits.keepalive_time_ms > 0) {
    args[n++] = int_arg(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, limits.keepalive_timeout_ms);
    // Keep pinging a connection that sends no data: a peer that stopped reading sends none.
    args[n++] = int_arg(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    args[n++] = int_arg(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  }
  // Clients may ping at most this often; more, `max_ping_strikes` times, and the connection is
  // closed with GOAWAY (ENHANCE_YOUR_CALM), as istiod's keepalive enforcement policy does.
  args[n++] = int_arg(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, limits.min_client_ping_interval_ms);
  args[n++] = int_arg(GRPC_ARG_HTTP2_MAX_PING_STRIKES, limits.max_ping_strikes);
  if (limits.max_connection_idle_ms > 0) {
    args[n++] = int_arg(GRPC_ARG_MAX_CONNECTION_IDLE_MS, limits.max_connection_idle_ms);
  }
  // With SO_REUSEPORT (the default) a second server could bind a port this one still holds.
  args[n++] = int_arg(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Simulated proxies open thousands of streams; do not cap concurrent streams per connection.
  args[n++] = int_arg(GRPC_ARG_MAX_CONCURRENT_STREAMS, INT_MAX);
  grpc_channel_args channel_args = {n, args};
  return grpc_server_create(&channel_args, NULL);
}

int CGRPCShim_server_add_insecure_port(grpc_server *server, const char *address) {
  grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
  int port = grpc_server_add_http2_port(server, address, creds);
  grpc_server_credentials_release(creds);
  return port;
}

int CGRPCShim_server_request_call(grpc_server *server, CGRPCShim_call *call,
                                  grpc_completion_queue *call_cq,
                                  grpc_completion_queue *notify_cq) {
  return grpc_server_request_call(server, &call->call, &call->details, &call->request_metadata,
                                  call_cq, notify_cq, &call->tags[CGRPCShim_KIND_ACCEPT]);
}

void CGRPCShim_server_shutdown(grpc_server *server, grpc_completion_queue *cq, void *owner) {
  CGRPCShim_tag *tag = malloc(sizeof(CGRPCShim_tag));
  tag->kind = CGRPCShim_KIND_SERVER_SHUTDOWN;
  tag->heap = 1;
  tag->owner = owner;
  tag->call = NULL;
  grpc_server_shutdown_and_notify(server, cq, tag);
}

// MARK: Client channels

grpc_channel *CGRPCShim_channel_create(const char *target, int own_connection,
                                       int max_message_bytes, int keepalive_ms,
                                       int max_reconnect_backoff_ms) {
  grpc_arg args[7];
  size_t n = 0;
  args[n++] = int_arg(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, own_connection ? 1 : 0);
  args[n++] = int_arg(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, max_message_bytes > 0 ? max_message_bytes : -1);
  args[n++] = int_arg(GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, -1);
  args[n++] = int_arg(GRPC_ARG_ENABLE_RETRIES, 0);
  args[n++] = int_arg(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms > 0 ? keepalive_ms : INT_MAX);
  if (max_reconnect_backoff_ms > 0) {
    args[n++] = int_arg(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_reconnect_backoff_ms);
    args[n++] = int_arg(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
                        max_reconnect_backoff_ms < 1000 ? max_reconnect_backoff_ms : 1000);
  }
  grpc_channel_args channel_args = {n, args};
  grpc_channel_credentials *creds = grpc_insecure_credentials_create();
  grpc_channel *channel = grpc_channel_create(target, creds, &channel_args);
  grpc_channel_credentials_release(creds);
  return channel;
}

// MARK: Calls

CGRPCShim_call *CGRPCShim_call_create(void *owner) {
  CGRPCShim_call *call = calloc(1, sizeof(CGRPCShim_call));
  for (int kind = 0; kind < CGRPCShim_KIND_COUNT; kind++) {
    call->tags[kind].kind = kind;
    call->tags[kind].heap = 0;
    call->tags[kind].owner = owner;
    call->tags[kind].call = call;
  }
  grpc_call_details_init(&call->details);
  grpc_metadata_array_init(&call->request_metadata);
  grpc_metadata_array_init(&call->initial_metadata);
  grpc_metadata_array_init(&call->trailing_metadata);
  call->status_details = grpc_empty_slice();
  call->status = GRPC_STATUS_UNKNOWN;
  return call;
}

void CGRPCShim_call_set_owner(CGRPCShim_call *call, void *owner) {
  for (int kind = 0; kind < CGRPCShim_KIND_COUNT; kind++) call->tags[kind].owner = owner;
}

void CGRPCShim_call_release(CGRPCShim_call *call) {
  if (call->received != NULL) grpc_byte_buffer_destroy(call->received);
  call->received = NULL;
  if (call->sending != NULL) grpc_byte_buffer_destroy(call->sending);
  call->sending = NULL;
  grpc_metadata_array_destroy(&call->request_metadata);
  grpc_metadata_array_init(&call->request_metadata);
  grpc_metadata_array_destroy(&call->initial_metadata);
  grpc_metadata_array_init(&call->initial_metadata);
  grpc_metadata_array_destroy(&call->trailing_metadata);
  grpc_metadata_array_init(&call->trailing_metadata);
  if (call->call != NULL) grpc_call_unref(call->call);
  call->call = NULL;
}

void CGRPCShim_call_destroy(CGRPCShim_call *call) {
  if (call->received != NULL) grpc_byte_buffer_destroy(call->received);
  if (call->sending != NULL) grpc_byte_buffer_destroy(call->sending);
  grpc_slice_unref(call->status_details);
  if (call->has_sent_details) grpc_slice_unref(call->sent_details);
  grpc_call_details_destroy(&call->details);
  grpc_metadata_array_destroy(&call->request_metadata);
  grpc_metadata_array_destroy(&call->initial_metadata);
  grpc_metadata_array_destroy(&call->trailing_metadata);
  if (call->call != NULL) grpc_call_unref(call->call);
  free(call);
}

int CGRPCShim_call_create_client(CGRPCShim_call *call, grpc_channel *channel,
                                 grpc_completion_queue *cq, const char *method,
                                 int64_t deadline_ms) {
  gpr_timespec deadline = gpr_inf_future(GPR_CLOCK_REALTIME);
  if (deadline_ms > 0) {
    deadline = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                            gpr_time_from_millis(deadline_ms, GPR_TIMESPAN));
  }
  // Copied: a static slice would point at the caller's (Swift) temporary string.
  grpc_slice method_slice = grpc_slice_from_copied_string(method);
  call->call = grpc_channel_create_call(channel, NULL, CGRPCShim_PROPAGATE_DEFAULTS, cq,
                                        method_slice, NULL, deadline, NULL);
  grpc_slice_unref(method_slice);
  return call->call == NULL ? 1 : 0;
}

static int start(CGRPCShim_call *call, const grpc_op *ops, size_t count, int kind) {
  return grpc_call_start_batch(call->call, ops, count, &call->tags[kind], NULL);
}

/* The batches below are built from these: one zeroed op of a type, and the two ops that more
 * than one batch starts with. */
static grpc_op op_of(grpc_op_type type) {
  grpc_op op;
  memset(&op, 0, sizeof(op));
  op.op = type;
  return op;
}

static grpc_op send_initial_metadata_op(uint32_t flags) {
  grpc_op op = op_of(GRPC_OP_SEND_INITIAL_METADATA);
  op.data.send_initial_metadata.count = 0;
  op.flags = flags;
  return op;
}

static grpc_op recv_message_op(CGRPCShim_call *call) {
  grpc_op op = op_of(GRPC_OP_RECV_MESSAGE);
  op.data.recv_message.recv_message = &call->received;
  return op;
}

int CGRPCShim_call_recv_close(CGRPCShim_call *call) {
  grpc_op op = op_of(GRPC_OP_RECV_CLOSE_ON_SERVER);
  op.data.recv_close_on_server.cancelled = &call->cancelled;
  return start(call, &op, 1, CGRPCShim_KIND_END);
}

int CGRPCShim_call_start_server(CGRPCShim_call *call) {
  grpc_op ops[2] = {send_initial_metadata_op(0), recv_message_op(call)};
  return start(call, ops, 2, CGRPCShim_KIND_RECV);
}

int CGRPCShim_call_recv_status(CGRPCShim_call *call) {
  grpc_op op = op_of(GRPC_OP_RECV_STATUS_ON_CLIENT);
  op.data.recv_status_on_client.trailing_metadata = &call->trailing_metadata;
  op.data.recv_status_on_client.status = &call->status;
  op.data.recv_status_on_client.status_details = &call->status_details;
  return start(call, &op, 1, CGRPCShim_KIND_END);
}

int CGRPCShim_call_start_client(CGRPCShim_call *call, int wait_for_ready) {
  uint32_t flags = wait_for_ready ? (GRPC_INITIAL_METADATA_WAIT_FOR_READY |
                                     GRPC_INITIAL_METADATA_WAIT_FOR_READY_EXPLICITLY_SET)
                                  : 0;
  grpc_op ops[2] = {send_initial_metadata_op(flags), op_of(GRPC_OP_RECV_INITIAL_METADATA)};
  ops[1].data.recv_initial_metadata.recv_initial_metadata = &call->initial_metadata;
  return start(call, ops, 2, CGRPCShim_KIND_START);
}

int CGRPCShim_call_recv_message(CGRPCShim_call *call) {
  grpc_op op = recv_message_op(call);
  return start(call, &op, 1, CGRPCShim_KIND_RECV);
}

int CGRPCShim_call_send_message(CGRPCShim_call *call, const CGRPCShim_payload *payload) {
  // grpc_raw_byte_buffer_create refs the slice: N sends of one payload share its bytes.
  grpc_slice slice = payload->slice;
  call->sending = grpc_raw_byte_buffer_create(&slice, 1);
  grpc_op op = op_of(GRPC_OP_SEND_MESSAGE);
  op.data.send_message.send_message = call->sending;
  int error = start(call, &op, 1, CGRPCShim_KIND_SEND);
  if (error != GRPC_CALL_OK) {
    grpc_byte_buffer_destroy(call->sending);
    call->sending = NULL;
  }
  return error;
}

int CGRPCShim_call_close_send(CGRPCShim_call *call) {
  grpc_op op = op_of(GRPC_OP_SEND_CLOSE_FROM_CLIENT);
  return start(call, &op, 1, CGRPCShim_KIND_CLOSE_SEND);
}

int CGRPCShim_call_send_status(CGRPCShim_call *call, int code, const char *message) {
  if (call->has_sent_details) grpc_slice_unref(call->sent_details);
  call->sent_details = grpc_slice_from_copied_string(message);
  call->has_sent_details = 1;
  grpc_op op = op_of(GRPC_OP_SEND_STATUS_FROM_SERVER);
  op.data.send_status_from_server.trailing_metadata_count = 0;
  op.data.send_status_from_server.status = (grpc_status_code)code;
  op.data.send_status_from_server.status_details = &call->sent_details;
  return start(call, &op, 1, CGRPCShim_KIND_SEND_STATUS);
}

void CGRPCShim_call_cancel(CGRPCShim_call *call) {
  if (call->call != NULL) grpc_call_cancel(call->call, NULL);
}

void CGRPCShim_call_cancel_with_status(CGRPCShim_call *call, int code, const char *message) {
  if (call->call != NULL) grpc_call_cancel_with_status(call->call, (grpc_status_code)code, message, NULL);
}

int64_t CGRPCShim_call_message_length(const CGRPCShim_call *call) {
  if (call->received == NULL) return -1;
  return (int64_t)grpc_byte_buffer_length(call->received);
}

void CGRPCShim_call_take_message(CGRPCShim_call *call, void *out) {
  if (call->received == NULL) return;
  grpc_byte_buffer_reader reader;
  if (grpc_byte_buffer_reader_init(&reader, call->received)) {
    char *cursor = (char *)out;
    grpc_slice slice;
    while (grpc_byte_buffer_reader_next(&reader, &slice)) {
      size_t length = GRPC_SLICE_LENGTH(slice);
      memcpy(cursor, GRPC_SLICE_START_PTR(slice), length);
      cursor += length;
      grpc_slice_unref(slice);
    }
    grpc_byte_buffer_reader_destroy(&reader);
  }
  grpc_byte_buffer_destroy(call->received);
  call->received = NULL;
}

const char *CGRPCShim_call_method(const CGRPCShim_call *call, size_t *length) {
  *length = GRPC_SLICE_LENGTH(call->details.method);
  return (const char *)GRPC_SLICE_START_PTR(call->details.method);
}

char *CGRPCShim_call_peer(const CGRPCShim_call *call) {
  if (call->call == NULL) return NULL;
  return grpc_call_get_peer(call->call);
}

void CGRPCShim_free(void *pointer) { gpr_free(pointer); }

int CGRPCShim_call_cancelled(const CGRPCShim_call *call) { return call->cancelled; }

int CGRPCShim_call_status_code(const CGRPCShim_call *call) { return (int)call->status; }

const char *CGRPCShim_call_status_details(const CGRPCShim_call *call, size_t *length) {
  *length = GRPC_SLICE_LENGTH(call->status_details);
  return (const char *)GRPC_SLICE_START_PTR(call->status_details);
}
