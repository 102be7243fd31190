// CGRPCShim — the small C layer between gRPC's C core and XDSTransport.
//
// Why it exists: op batches (a C array of unions), the function-like macros
// (GRPC_SLICE_START_PTR, GRPC_PROPAGATE_DEFAULTS) and string-keyed channel args import badly
// into Swift. Each function here builds one batch on the C stack and starts it; every pointer
// the batch refers to lives in a heap-allocated CGRPCShim_call until its tag completes
// (docs/c-binding-notes.md).
//
// Tags: every batch started through this shim uses a tag embedded in its CGRPCShim_call (one per
// batch kind, since at most one batch of each kind is in flight). CGRPCShim_next decodes a
// completion into (kind, owner, success). `owner` is an opaque pointer chosen by the caller (an
// Unmanaged retained Swift object): the caller retains it once per started batch and balances it
// once per completion; when a start function returns nonzero the batch was not started and no
// completion will come.
//
// Threading: all functions are safe to call from any thread as long as a single call's send
// functions are serialised by the caller (XDSTransport does this under the call's Mutex).
#ifndef CGRPCSHIM_H
#define CGRPCSHIM_H

#include <stddef.h>
#include <stdint.h>
// By path, not <CGRPC.h>: SwiftPM passes no search path for a system-library dependency to a C
// target or to the Clang importer, and Clang maps this file to module CGRPC either way.
#include "../../CGRPC/CGRPC.h"

// Batch kinds; XDSTransport's CompletionKind mirrors these values.
#define CGRPCShim_KIND_ACCEPT 1         // grpc_server_request_call
#define CGRPCShim_KIND_START 2          // client [SEND_INITIAL_METADATA, RECV_INITIAL_METADATA]
#define CGRPCShim_KIND_RECV 3           // [RECV_MESSAGE] (server: first one also SEND_INITIAL_METADATA)
#define CGRPCShim_KIND_SEND 4           // [SEND_MESSAGE]
#define CGRPCShim_KIND_CLOSE_SEND 5     // client [SEND_CLOSE_FROM_CLIENT]
#define CGRPCShim_KIND_SEND_STATUS 6    // server [SEND_STATUS_FROM_SERVER]
#define CGRPCShim_KIND_END 7            // server RECV_CLOSE_ON_SERVER / client RECV_STATUS_ON_CLIENT
#define CGRPCShim_KIND_SERVER_SHUTDOWN 8 // grpc_server_shutdown_and_notify
#define CGRPCShim_KIND_COUNT 9

// Event types returned by CGRPCShim_next.
#define CGRPCShim_EVENT_COMPLETE 0
#define CGRPCShim_EVENT_SHUTDOWN 1
#define CGRPCShim_EVENT_TIMEOUT 2

/// GRPC_PROPAGATE_DEFAULTS does not import.
#define CGRPCShim_PROPAGATE_DEFAULTS 0xffff

/// Per-call storage: the grpc_call, receive slots, metadata arrays, status and tags.
typedef struct CGRPCShim_call CGRPCShim_call;
/// One refcounted grpc_slice; sending it refs the slice instead of copying the bytes.
typedef struct CGRPCShim_payload CGRPCShim_payload;

typedef struct {
  int type;     // CGRPCShim_EVENT_*
  int kind;     // CGRPCShim_KIND_* (COMPLETE only)
  int success;  // grpc_event.success (COMPLETE only)
  void *owner;  // the owner given when the batch was started (COMPLETE only)
} CGRPCShim_event;

/// Names the calling thread (shown by top/gdb; Linux keeps 15 bytes). pthread_setname_np needs
/// _GNU_SOURCE, which the Swift Glibc module does not define.
void CGRPCShim_set_thread_name(const char *name);

/// grpc_init(); the caller makes sure it runs once per process.
void CGRPCShim_init(void);

// MARK: Completion queues
grpc_completion_queue *CGRPCShim_cq_create(void);
void CGRPCShim_channel_destroy(grpc_channel *channel);
void CGRPCShim_server_start(grpc_server *server, grpc_completion_queue *accept_cq,
                            grpc_completion_queue *call_cq);
void CGRPCShim_server_cancel_all_calls(grpc_server *server);
void CGRPCShim_server_destroy(grpc_server *server);
/// Blocks until the next event. SEND completions release the sent byte buffer and server shutdown
/// tags are freed here, before the event is returned.
CGRPCShim_event CGRPCShim_next(grpc_completion_queue *cq);
void CGRPCShim_cq_shutdown(grpc_completion_queue *cq);
void CGRPCShim_cq_destroy(grpc_completion_queue *cq);

// MARK: Payloads
CGRPCShim_payload *CGRPCShim_payload_create(const void *bytes, size_t length);
size_t CGRPCShim_payload_length(const CGRPCShim_payload *payload);
/// Copies the payload's bytes into `out` (payload_length bytes).
void CGRPCShim_payload_copy(const CGRPCShim_payload *payload, void *out);
void CGRPCShim_payload_destroy(CGRPCShim_payload *payload);

// MARK: Server
/// The limits a server is created with (see TransportServer.Limits); times in milliseconds.
typedef struct {
  int max_receive_message_bytes;  // <= 0: no limit
  int keepalive_time_ms;          // <= 0: no keepalive pings
  int keepalive_timeout_ms;
  int min_client_ping_interval_ms;
  int max_ping_strikes;           // 0: any number
  int max_connection_idle_ms;     // <= 0: never closed for idleness
} CGRPCShim_server_limits;

/// A server with insecure credentials and `limits`; SO_REUSEPORT is off so a port is exclusively ours.
grpc_server *CGRPCShim_server_create(CGRPCShim_server_limits limits);
/// Binds an insecure HTTP/2 port; returns the bound port, 0 on failure.
int CGRPCShim_server_add_insecure_port(grpc_server *server, const char *address);
/// Requests the next call: on completion (kind ACCEPT on `notify_cq`) `call` holds it, bound to
/// `call_cq`. Returns a grpc_call_error.
int CGRPCShim_server_request_call(grpc_server *server, CGRPCShim_call *call,
                                  grpc_completion_queue *call_cq,
                                  grpc_completion_queue *notify_cq);
/// grpc_server_shutdown_and_notify with a heap tag (kind SERVER_SHUTDOWN) freed by CGRPCShim_next.
void CGRPCShim_server_shutdown(grpc_server *server, grpc_completion_queue *cq, void *owner);

// MARK: Client channels
/// An insecure channel. `own_connection` sets grpc.use_local_subchannel_pool=1 so this channel
/// does not share its TCP connection with other channels to the same target. Retries are off (the
/// retry filter buffers sends), keepalive is off unless `keepalive_ms` > 0.
grpc_channel *CGRPCShim_channel_create(const char *target, int own_connection,
                                       int max_message_bytes, int keepalive_ms,
                                       int max_reconnect_backoff_ms);

// MARK: Calls
/// Zeroed storage for one call; `owner` is reported with each completion.
CGRPCShim_call *CGRPCShim_call_create(void *owner);
/// Sets the owner reported with each completion of this call's batches.
void CGRPCShim_call_set_owner(CGRPCShim_call *call, void *owner);
/// Drops the grpc_call ref and any message buffers once the call has ended and no batch is in
/// flight, so gRPC frees the call's resources even while a Swift handle is still held. Method,
/// peer and status stay readable until destroy.
void CGRPCShim_call_release(CGRPCShim_call *call);
/// Cancels nothing; releases everything: received buffers, metadata arrays, the grpc_call ref.
/// Only when no batch of this call is in flight.
void CGRPCShim_call_destroy(CGRPCShim_call *call);
/// Creates the client grpc_call on `cq`. `deadline_ms` <= 0 means no deadline. Returns 0 on success.
int CGRPCShim_call_create_client(CGRPCShim_call *call, grpc_channel *channel,
                                 grpc_completion_queue *cq, const char *method,
                                 int64_t deadline_ms);

/// Server: RECV_CLOSE_ON_SERVER (kind END), posted up front.
int CGRPCShim_call_recv_close(CGRPCShim_call *call);
/// Server: [SEND_INITIAL_METADATA, RECV_MESSAGE] (kind RECV).
int CGRPCShim_call_start_server(CGRPCShim_call *call);
/// Client: RECV_STATUS_ON_CLIENT (kind END), posted up front.
int CGRPCShim_call_recv_status(CGRPCShim_call *call);
/// Client: [SEND_INITIAL_METADATA, RECV_INITIAL_METADATA] (kind START).
int CGRPCShim_call_start_client(CGRPCShim_call *call, int wait_for_ready);
/// [RECV_MESSAGE] (kind RECV).
int CGRPCShim_call_recv_message(CGRPCShim_call *call);
/// [SEND_MESSAGE] (kind SEND) of a byte buffer that refs the payload's slice.
int CGRPCShim_call_send_message(CGRPCShim_call *call, const CGRPCShim_payload *payload);
/// Client: [SEND_CLOSE_FROM_CLIENT] (kind CLOSE_SEND).
int CGRPCShim_call_close_send(CGRPCShim_call *call);
/// Server: [SEND_STATUS_FROM_SERVER] (kind SEND_STATUS); `message` is copied.
int CGRPCShim_call_send_status(CGRPCShim_call *call, int code, const char *message);
/// grpc_call_cancel; harmless on a finished call or one not yet created.
void CGRPCShim_call_cancel(CGRPCShim_call *call);
/// grpc_call_cancel_with_status: the peer sees `code` and `message` (copied).
void CGRPCShim_call_cancel_with_status(CGRPCShim_call *call, int code, const char *message);

/// After a RECV completion: the received message's length, or -1 when there was none
/// (half-close, end of call).
int64_t CGRPCShim_call_message_length(const CGRPCShim_call *call);
/// Copies the received message into `out` and releases it.
void CGRPCShim_call_take_message(CGRPCShim_call *call, void *out);

/// Server, after ACCEPT: the method path (not NUL-terminated) and its length.
const char *CGRPCShim_call_method(const CGRPCShim_call *call, size_t *length);
/// gpr_malloc'ed peer string; free with CGRPCShim_free.
char *CGRPCShim_call_peer(const CGRPCShim_call *call);
void CGRPCShim_free(void *pointer);
/// Server, after END: whether the call was cancelled (client cancel, disconnect, server cancel).
int CGRPCShim_call_cancelled(const CGRPCShim_call *call);
/// Client, after END: the status code and details (not NUL-terminated).
int CGRPCShim_call_status_code(const CGRPCShim_call *call);
const char *CGRPCShim_call_status_details(const CGRPCShim_call *call, size_t *length);

#endif
