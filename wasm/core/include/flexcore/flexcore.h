#pragma once
/// @file flexcore.h
/// Umbrella header: the whole public API of the flexcore core library (namespace flexcore).
/// Pure functions over value types; no I/O, no clock, no randomness, no Emscripten headers.

#include "flexcore/agent_extensions.h"
#include "flexcore/callback.h"
#include "flexcore/customer_context.h"
#include "flexcore/error.h"
#include "flexcore/hang_up_by.h"
#include "flexcore/reason.h"
#include "flexcore/result.h"
#include "flexcore/segment_lookup.h"
#include "flexcore/sid.h"
#include "flexcore/task_attributes.h"
#include "flexcore/version.h"
