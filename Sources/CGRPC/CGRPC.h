// Umbrella for the gRPC C-core headers; see module.modulemap for why it is the only one.
#ifndef CGRPC_H
#define CGRPC_H
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#endif
