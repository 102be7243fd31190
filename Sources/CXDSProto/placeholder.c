#include "CXDSProto.h"
