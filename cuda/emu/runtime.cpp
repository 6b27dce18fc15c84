// runtime.cpp - the emulation runtime behind esm2j_emu.h: fibers and their schedules, the collectives
// (barriers, shuffles, votes, mma.sync m16n8k16), per-block shared memory, launches checked against the
// hardware limits, and device memory between guard pages, filled with 0xFF when allocated (the CUDA
// runtime's host calls that use it are in cudart.cpp).
//
// Bug-finding, not just running:
//  - every launch runs under two or more schedules (the order threads and blocks run between
//    collectives) and the device memory they leave must be bit-identical: a missing barrier shows;
//  - shared memory is refilled with 0xFF (NaN in every float type) for each block, device memory when
//    allocated, so a read of something never written poisons the output;
//  - device allocations and shared arrays end against a guard page, freed allocations stay unmapped:
//    reading past the end, or after cudaFree, stops with the kernel, block and thread named;
//  - a collective checks that every lane it names arrives at the same call site with the same mask
//    and has not exited; a thread that exits while others wait at a barrier is an error; a block that
//    cannot progress is reported with the count of threads at each call site.
// Compiled as ordinary host C++ (no -include of esm2j_emu.h, no rewrite).
#include "esm2j_emu.h"
#include "runtime_internal.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif
#if defined(ESM2J_EMU_SANITIZE)
#include <sanitizer/common_interface_defs.h>
#endif

namespace esm2j_emu {

const ThreadCoords* g_thread = nullptr;
BlockCoords g_block{};

namespace {

// ============================== context switch ==============================
#if defined(__x86_64__)
extern "C" void esm2j_emu_switch(void** save_sp, void* load_sp);
extern "C" void esm2j_emu_trampoline();
// Saves the callee-saved registers, MXCSR and the x87 control word on the old stack, loads the new.
asm(R"(
    .text
    .p2align 4
    .globl esm2j_emu_switch
    .hidden esm2j_emu_switch
    .type esm2j_emu_switch, @function
esm2j_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size esm2j_emu_switch, .-esm2j_emu_switch

    .p2align 4
    .globl esm2j_emu_trampoline
    .hidden esm2j_emu_trampoline
    .type esm2j_emu_trampoline, @function
esm2j_emu_trampoline:
    movq %r12, %rdi
    callq *%r13
    ud2
    .size esm2j_emu_trampoline, .-esm2j_emu_trampoline
)");
#endif

constexpr size_t kStackBytes = 256 * 1024;
constexpr int kMaxThreadsPerBlock = 1024;
constexpr size_t kMaxStaticSmem = 48 * 1024;

size_t page_size() {
    static const size_t p = (size_t)sysconf(_SC_PAGESIZE);
    return p;
}

enum class State : uint8_t { Runnable, Waiting, Exited };

struct Fiber {
    char* map = nullptr;  // guard page + stack
    size_t map_len = 0;
    void* sp = nullptr;
#if !defined(__x86_64__)
    ucontext_t uc;
#endif
    State state = State::Runnable;
    Collective* wait = nullptr;
    ThreadCoords coords{};
};

// ============================== process-wide state ==============================
// What a launch's schedules compare: the contents before the launch (kept from launch to launch, refreshed
// after a host write), the first schedule's result, and whether a schedule wrote here (the data pages are
// read-only while a schedule runs; the first write faults, is noted and allowed).
struct Shadow {
    std::vector<char> before, after;
    bool before_valid = false;
    bool written = false;        // by the schedule now running
    bool written_first = false;  // by the first schedule (its result is in `after`)
    bool protected_now = false;
};
struct Allocation {
    char* ptr;
    size_t size;
    char* map;
    size_t map_len;
    int id;
    int device;
    std::shared_ptr<Shadow> shadow;
};
struct SharedRegion {
    char* ptr;
    size_t bytes;
    char* map;
    size_t map_len;
    const char* name;
    const char* file;
    int line;
    uint64_t epoch;
};

const char* const kScheduleNames[] = {"forward", "reverse", "random", "warp-forward", "warp-reverse"};
enum class Schedule { Forward, Reverse, Random, WarpForward, WarpReverse };

struct Runtime {
    std::recursive_mutex mutex;
    // device memory
    std::map<uintptr_t, Allocation> allocations;  // by ptr
    std::vector<Allocation> quarantine;           // freed, kept PROT_NONE so a late access faults
    size_t quarantine_bytes = 0;
    int next_allocation_id = 1;
    std::vector<SharedRegion*> shared_regions;
    // the launch in progress
    std::vector<Fiber> fibers;
    void* scheduler_sp = nullptr;
#if !defined(__x86_64__)
    ucontext_t scheduler_uc;
#endif
    KernelBody body{};
    const char* kernel = "";
    const char* launcher = "";
    const char* file = "";
    int line = 0;
    int n_threads = 0;
    uint64_t block_epoch = 0;
    size_t block_static_smem = 0;
    SharedRegion* dynamic_region = nullptr;
    size_t dynamic_smem = 0;
    bool in_kernel = false;
    bool failed = false;
    std::string failure;
    uint64_t launches = 0;
    // errors as cudaGetLastError reports them
    cudaError_t last_error = cudaSuccess;
    std::string last_error_detail;
    // options
    std::vector<Schedule> schedules;  // empty: forward + one rotating alternative per launch
    uint64_t seed = 1;
    bool initialized = false;
};

Runtime& rt() {
    static Runtime* r = new Runtime();  // never destroyed: fibers may hold pointers at exit
    return *r;
}

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

const char* base_name(const char* path) {
    const char* s = std::strrchr(path, '/');
    return s ? s + 1 : path;
}

// ============================== faults ==============================
void describe_address(uintptr_t a, char* out, size_t n) {
    Runtime& r = rt();
    for (const auto& kv : r.allocations) {
        const Allocation& al = kv.second;
        const uintptr_t lo = (uintptr_t)al.map, hi = lo + al.map_len;
        if (a >= lo && a < hi) {
            const uintptr_t p = (uintptr_t)al.ptr;
            if (a >= p + al.size)
                std::snprintf(out, n, "%" PRIuPTR " bytes past the end of device allocation #%d (%zu bytes)",
                              a - (p + al.size), al.id, al.size);
            else if (a < p)
                std::snprintf(out, n, "%" PRIuPTR " bytes before the start of device allocation #%d (%zu bytes)", p - a,
                              al.id, al.size);
            else
                std::snprintf(out, n, "inside device allocation #%d (%zu bytes)?", al.id, al.size);
            return;
        }
    }
    for (const Allocation& al : r.quarantine) {
        const uintptr_t lo = (uintptr_t)al.map, hi = lo + al.map_len;
        if (a >= lo && a < hi) {
            std::snprintf(out, n, "offset %" PRIdPTR " of device allocation #%d (%zu bytes) after cudaFree",
                          (intptr_t)(a - (uintptr_t)al.ptr), al.id, al.size);
            return;
        }
    }
    for (const SharedRegion* s : r.shared_regions) {
        const uintptr_t lo = (uintptr_t)s->map, hi = lo + s->map_len;
        if (a >= lo && a < hi) {
            const uintptr_t p = (uintptr_t)s->ptr;
            if (a >= p + s->bytes)
                std::snprintf(out, n, "%" PRIuPTR " bytes past the end of __shared__ %s (%zu bytes, %s:%d)",
                              a - (p + s->bytes), s->name, s->bytes, base_name(s->file), s->line);
            else
                std::snprintf(out, n, "%" PRIuPTR " bytes before __shared__ %s (%zu bytes, %s:%d)", p - a, s->name,
                              s->bytes, base_name(s->file), s->line);
            return;
        }
    }
    for (const Fiber& f : r.fibers) {
        if (a >= (uintptr_t)f.map && a < (uintptr_t)f.map + page_size()) {
            std::snprintf(out, n, "the guard page of a thread's stack (stack overflow: %zu KiB per thread)",
                          kStackBytes / 1024);
            return;
        }
    }
    std::snprintf(out, n, "not device memory the emulator knows (a host pointer, a wild pointer or null)");
}

// A write to device memory that a schedule runs with read-only: note it and let it through.
bool note_write(void* addr) {
    Runtime& r = rt();
    const uintptr_t a = (uintptr_t)addr;
    auto it = r.allocations.upper_bound(a);
    if (it == r.allocations.begin()) return false;
    --it;
    Allocation& al = it->second;
    char* data = al.map + page_size();
    const size_t data_len = al.map_len - 2 * page_size();
    if (a < (uintptr_t)data || a >= (uintptr_t)data + data_len || !al.shadow->protected_now) return false;
    al.shadow->written = true;
    al.shadow->protected_now = false;
    mprotect(data, data_len, PROT_READ | PROT_WRITE);
    return true;
}

// The handlers that were there before the emulator's (in a JVM: its own, which resolves implicit null checks and
// safepoint polls by catching SIGSEGV), and whether this host thread is running a kernel right now.
struct sigaction g_previous_segv {}, g_previous_bus {};
thread_local bool t_running_kernel = false;

bool is_device_address(uintptr_t a) {
    for (const auto& kv : rt().allocations) {
        const uintptr_t lo = (uintptr_t)kv.second.map;
        if (a >= lo && a < lo + kv.second.map_len) return true;
    }
    return false;
}

// Hands a fault that is not the emulator's to the handler installed before it; false when there was none.
bool chain_to_previous(int sig, siginfo_t* info, void* context) {
    const struct sigaction& prev = sig == SIGSEGV ? g_previous_segv : g_previous_bus;
    if (prev.sa_flags & SA_SIGINFO) {
        if (prev.sa_sigaction == nullptr) return false;
        prev.sa_sigaction(sig, info, context);
        return true;
    }
    if (prev.sa_handler == SIG_DFL || prev.sa_handler == SIG_IGN || prev.sa_handler == nullptr) return false;
    prev.sa_handler(sig);
    return true;
}

void on_fault(int sig, siginfo_t* info, void* context) {
    if (sig == SIGSEGV && rt().in_kernel && note_write(info->si_addr)) return;
    // Not a kernel of this thread and not device memory: the host program's own fault. A JVM takes SIGSEGV on
    // purpose (a null field read at address 0x18 becomes a NullPointerException); replacing its handler made
    // Java runs on emulated GPUs die now and then with "SIGSEGV at 0x18 in host code".
    if (!t_running_kernel && !is_device_address((uintptr_t)info->si_addr) && chain_to_previous(sig, info, context)) return;
    char what[512];
    if (sig == SIGSEGV && info->si_code == SI_KERNEL && info->si_addr == nullptr)
        std::snprintf(what, sizeof what, "a general-protection fault (no address): most likely an aligned vector "
                      "instruction on a misaligned address, e.g. a 16-byte access that is not 16-byte aligned");
    else
        describe_address((uintptr_t)info->si_addr, what, sizeof what);
    Runtime& r = rt();
    std::fprintf(stderr, "\nesm2j-emu: %s at address %p: %s\n", sig == SIGSEGV ? "SIGSEGV" : "SIGBUS", info->si_addr,
                 what);
    if (r.in_kernel)
        std::fprintf(stderr, "esm2j-emu: in kernel %s, block (%u,%u,%u) thread (%u,%u,%u), launched by %s at %s:%d\n",
                     r.kernel, g_block.block_idx.x, g_block.block_idx.y, g_block.block_idx.z,
                     g_thread ? g_thread->thread_idx.x : 0, g_thread ? g_thread->thread_idx.y : 0,
                     g_thread ? g_thread->thread_idx.z : 0, r.launcher, r.file, r.line);
    else
        std::fprintf(stderr, "esm2j-emu: in host code (not inside a kernel)\n");
    std::fflush(stderr);
    _exit(70);
}

#if defined(ESM2J_EMU_SANITIZE)
void on_sanitizer_death() {  // UBSan names the source line; this names the kernel, block and thread
    Runtime& r = rt();
    if (r.in_kernel)
        std::fprintf(stderr, "esm2j-emu: UBSan stopped kernel %s, block (%u,%u,%u) thread (%u,%u,%u), launched by %s at %s:%d\n",
                     r.kernel, g_block.block_idx.x, g_block.block_idx.y, g_block.block_idx.z,
                     g_thread ? g_thread->thread_idx.x : 0, g_thread ? g_thread->thread_idx.y : 0,
                     g_thread ? g_thread->thread_idx.z : 0, r.launcher, r.file, r.line);
}
#endif

void install_fault_handler() {
#if defined(ESM2J_EMU_SANITIZE)
    static bool death_callback = false;
    if (!death_callback) {
        __sanitizer_set_death_callback(on_sanitizer_death);
        death_callback = true;
    }
#endif
    static thread_local bool have_altstack = false;
    if (!have_altstack) {  // the handler runs on its own stack: a fiber's may be the one that overflowed
        stack_t ss{};
        ss.ss_size = 64 * 1024;
        ss.ss_sp = std::malloc(ss.ss_size);
        sigaltstack(&ss, nullptr);
        have_altstack = true;
    }
    static bool installed = false;
    if (installed) return;
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_previous_segv);
    sigaction(SIGBUS, &sa, &g_previous_bus);
    installed = true;
}

void init_options(Runtime& r) {
    if (r.initialized) return;
    r.initialized = true;
    if (const char* s = std::getenv("ESM2J_EMU_SEED")) r.seed = std::strtoull(s, nullptr, 10);
    if (const char* s = std::getenv("ESM2J_EMU_SCHEDULES")) {
        std::string list = s;
        if (list == "all") list = "forward,reverse,random,warp-forward,warp-reverse";
        size_t start = 0;
        while (start <= list.size() && list != "rotate") {
            const size_t comma = list.find(',', start);
            const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            bool found = false;
            for (int i = 0; i < 5; ++i)
                if (name == kScheduleNames[i]) {
                    r.schedules.push_back((Schedule)i);
                    found = true;
                }
            if (!found) {
                std::fprintf(stderr, "esm2j-emu: ESM2J_EMU_SCHEDULES: unknown schedule '%s' (forward, reverse, random, "
                             "warp-forward, warp-reverse, all, rotate)\n", name.c_str());
                std::exit(2);
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
}

// ============================== fibers ==============================
[[noreturn]] void fiber_exit_to_scheduler(Fiber& f);

void fiber_main(void* arg) {
    Fiber& f = *static_cast<Fiber*>(arg);
    Runtime& r = rt();
    r.body.call(r.body.object);
    f.state = State::Exited;
    fiber_exit_to_scheduler(f);
}

#if !defined(__x86_64__)
void fiber_main_uc(unsigned hi, unsigned lo) { fiber_main((void*)(((uintptr_t)hi << 32) | lo)); }
#endif

void fiber_prepare(Fiber& f) {
    if (!f.map) {
        f.map_len = kStackBytes + page_size();
        f.map = (char*)mmap(nullptr, f.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (f.map == MAP_FAILED) {
            std::fprintf(stderr, "esm2j-emu: cannot map a thread stack\n");
            std::abort();
        }
        mprotect(f.map, page_size(), PROT_NONE);  // overflow faults
    }
    f.state = State::Runnable;
    f.wait = nullptr;
#if defined(__x86_64__)
    uint64_t* top = (uint64_t*)(f.map + f.map_len);
    uint64_t* sp = top - 8;
    sp[0] = 0x1F80ull | (0x037Full << 32);  // MXCSR default, x87 control word default
    sp[1] = 0;                              // r15
    sp[2] = 0;                              // r14
    sp[3] = (uint64_t)(uintptr_t)&fiber_main;  // r13: entry
    sp[4] = (uint64_t)(uintptr_t)&f;           // r12: argument
    sp[5] = 0;                                 // rbx
    sp[6] = 0;                                 // rbp
    sp[7] = (uint64_t)(uintptr_t)&esm2j_emu_trampoline;
    f.sp = sp;
#else
    getcontext(&f.uc);
    f.uc.uc_stack.ss_sp = f.map + page_size();
    f.uc.uc_stack.ss_size = kStackBytes;
    f.uc.uc_link = nullptr;
    makecontext(&f.uc, (void (*)())fiber_main_uc, 2, (unsigned)((uintptr_t)&f >> 32), (unsigned)(uintptr_t)&f);
#endif
}

void resume(Fiber& f) {
    Runtime& r = rt();
    g_thread = &f.coords;
#if defined(__x86_64__)
    esm2j_emu_switch(&r.scheduler_sp, f.sp);
#else
    swapcontext(&r.scheduler_uc, &f.uc);
#endif
}

void yield_to_scheduler(Fiber& f) {
    Runtime& r = rt();
#if defined(__x86_64__)
    esm2j_emu_switch(&f.sp, r.scheduler_sp);
#else
    swapcontext(&f.uc, &r.scheduler_uc);
#endif
}

[[noreturn]] void fiber_exit_to_scheduler(Fiber& f) {
    yield_to_scheduler(f);
    std::abort();  // an exited fiber is never resumed
}

Fiber& current_fiber() { return rt().fibers[g_thread->linear]; }

// A bug found inside a kernel: record it and leave the block (the fiber is never resumed).
[[noreturn]] void fail_in_kernel(const std::string& why) {
    Runtime& r = rt();
    if (!r.failed) {
        r.failed = true;
        r.failure = why;
    }
    Fiber& f = current_fiber();
    f.state = State::Exited;
    fiber_exit_to_scheduler(f);
}

// ============================== collectives ==============================
const char* op_name(Op op) {
    switch (op) {
        case Op::SyncThreads: return "__syncthreads";
        case Op::SyncWarp: return "__syncwarp";
        case Op::ShflIdx: return "__shfl_sync";
        case Op::ShflXor: return "__shfl_xor_sync";
        case Op::ShflDown: return "__shfl_down_sync";
        case Op::ShflUp: return "__shfl_up_sync";
        case Op::Ballot: return "__ballot_sync";
        case Op::Any: return "__any_sync";
        case Op::All: return "__all_sync";
        case Op::MmaBf16: return "mma.sync.m16n8k16.bf16";
        case Op::MmaF16: return "mma.sync.m16n8k16.f16";
    }
    return "?";
}

std::string site(const Collective& c) { return format("%s at %s:%d", op_name(c.op), base_name(c.file), c.line); }

bool same_site(const Collective& a, const Collective& b) {
    return a.op == b.op && a.line == b.line && (a.file == b.file || std::strcmp(a.file, b.file) == 0);
}

float bf16_bits_to_float(uint16_t h) {
    const uint32_t u = (uint32_t)h << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
float f16_bits_to_float(uint16_t h) {
    __half_raw raw;
    raw.x = h;
    return __half2float(__half(raw));
}

// mma.sync.aligned.m16n8k16.row.col.f32.{bf16,f16}.{bf16,f16}.f32 by the PTX ISA's fragment layouts
// (groupID = lane >> 2, threadID_in_group = lane % 4; the low half of a .b32 register holds the
// element with the lower index):
//   A 16x16: a0,a1: (g, 2t..2t+1)  a2,a3: (g+8, 2t..2t+1)  a4,a5: (g, 2t+8..2t+9)  a6,a7: (g+8, 2t+8..2t+9)
//   B 16x8:  b0,b1: (k = 2t..2t+1, n = g)  b2,b3: (k = 2t+8..2t+9, n = g)
//   C/D 16x8 f32: c0,c1: (g, 2t..2t+1)  c2,c3: (g+8, 2t..2t+1)
// Products of 16-bit inputs are exact in double; each D element is C + the sum over k, rounded once.
void complete_mma(Fiber* const* lanes, bool bf16) {
    float A[16][16], B[16][8], C[16][8];
    auto cvt = [bf16](uint32_t reg, int half) {
        const uint16_t h = (uint16_t)(half ? reg >> 16 : reg & 0xffff);
        return bf16 ? bf16_bits_to_float(h) : f16_bits_to_float(h);
    };
    for (int lane = 0; lane < 32; ++lane) {
        const Collective& c = *lanes[lane]->wait;
        const int g = lane >> 2, t = lane & 3;
        for (int i = 0; i < 2; ++i) {
            A[g][2 * t + i] = cvt(c.a[0], i);
            A[g + 8][2 * t + i] = cvt(c.a[1], i);
            A[g][2 * t + 8 + i] = cvt(c.a[2], i);
            A[g + 8][2 * t + 8 + i] = cvt(c.a[3], i);
            B[2 * t + i][g] = cvt(c.b[0], i);
            B[2 * t + 8 + i][g] = cvt(c.b[1], i);
            C[g][2 * t + i] = c.c[i];
            C[g + 8][2 * t + i] = c.c[2 + i];
        }
    }
    for (int lane = 0; lane < 32; ++lane) {
        Collective& c = *lanes[lane]->wait;
        const int g = lane >> 2, t = lane & 3;
        for (int j = 0; j < 4; ++j) {
            const int m = g + (j >> 1) * 8, n = 2 * t + (j & 1);
            double s = 0;
            for (int k = 0; k < 16; ++k) s += (double)A[m][k] * (double)B[k][n];
            c.d[j] = (float)((double)C[m][n] + s);
        }
    }
}

// Completes the warp collectives of warp w whose lanes have all arrived; returns true when one did.
bool complete_warp(int w) {
    Runtime& r = rt();
    const int first = w * 32, n_lanes = std::min(32, r.n_threads - first);
    Fiber* lanes[32] = {};
    for (int l = 0; l < n_lanes; ++l) lanes[l] = &r.fibers[first + l];
    bool progressed = false;
    for (int l = 0; l < n_lanes; ++l) {
        Fiber& f = *lanes[l];
        if (f.state != State::Waiting || f.wait->op == Op::SyncThreads) continue;
        const Collective& c = *f.wait;
        const unsigned mask = c.mask;
        if (!(mask >> l & 1u)) {
            r.failed = true;
            r.failure = format("%s: lane %d calls %s with mask 0x%08x that leaves itself out", r.kernel, l,
                               site(c).c_str(), mask);
            return false;
        }
        bool complete = true;
        for (int j = 0; j < 32 && complete; ++j) {
            if (!(mask >> j & 1u) || j == l) continue;
            if (j >= n_lanes) {
                r.failed = true;
                r.failure = format("%s: %s names lane %d (mask 0x%08x) but the block has %d threads: warp %d has %d lanes",
                                   r.kernel, site(c).c_str(), j, mask, r.n_threads, w, n_lanes);
                return false;
            }
            const Fiber& o = *lanes[j];
            if (o.state == State::Runnable) {
                complete = false;
            } else if (o.state == State::Exited) {
                r.failed = true;
                r.failure = format("%s, block (%u,%u,%u) warp %d: lane %d exited before the %s that lane %d waits at "
                                   "(mask 0x%08x)", r.kernel, g_block.block_idx.x, g_block.block_idx.y,
                                   g_block.block_idx.z, w, j, site(c).c_str(), l, mask);
                return false;
            } else if (o.wait->op == Op::SyncThreads) {
                complete = false;  // cannot both finish: the stuck-block report will show it
            } else if (!same_site(*o.wait, c) || o.wait->mask != mask) {
                if (o.wait->mask >> l & 1u) {  // each names the other: they can never meet
                    r.failed = true;
                    r.failure = format("%s, block (%u,%u,%u) warp %d: divergent warp collective: lane %d is at %s "
                                       "(mask 0x%08x), lane %d at %s (mask 0x%08x)", r.kernel, g_block.block_idx.x,
                                       g_block.block_idx.y, g_block.block_idx.z, w, l, site(c).c_str(), mask, j,
                                       site(*o.wait).c_str(), o.wait->mask);
                    return false;
                }
                complete = false;
            }
        }
        if (!complete) continue;
        // Every lane of the mask is here: exchange.
        switch (c.op) {
            case Op::SyncWarp: break;
            case Op::ShflIdx:
            case Op::ShflXor:
            case Op::ShflDown:
            case Op::ShflUp: {
                for (int j = 0; j < 32; ++j) {
                    if (!(mask >> j & 1u)) continue;
                    Collective& cj = *lanes[j]->wait;
                    const int width = cj.width;
                    if (width <= 0 || width > 32 || (width & (width - 1))) {
                        r.failed = true;
                        r.failure = format("%s: %s with width %d (a power of two up to 32)", r.kernel, site(cj).c_str(), width);
                        return false;
                    }
                    const int base = j & ~(width - 1);
                    int src = j;
                    switch (c.op) {
                        case Op::ShflIdx: src = base + (cj.arg & (width - 1)); break;
                        case Op::ShflXor: src = j ^ cj.arg; if (src < base || src >= base + width) src = j; break;
                        case Op::ShflDown: src = j + cj.arg; if (src >= base + width) src = j; break;
                        case Op::ShflUp: src = j - cj.arg; if (src < base) src = j; break;
                        default: break;
                    }
                    if (src < 0 || src > 31 || !(mask >> src & 1u)) {
                        r.failed = true;
                        r.failure = format("%s: lane %d reads lane %d in %s, outside the mask 0x%08x (undefined)",
                                           r.kernel, j, src, site(cj).c_str(), mask);
                        return false;
                    }
                    cj.result = lanes[src]->wait->value;
                }
                break;
            }
            case Op::Ballot:
            case Op::Any:
            case Op::All: {
                unsigned ballot = 0;
                for (int j = 0; j < 32; ++j)
                    if (mask >> j & 1u && lanes[j]->wait->value) ballot |= 1u << j;
                const uint64_t result = c.op == Op::Ballot ? ballot : c.op == Op::Any ? ballot != 0 : ballot == mask;
                for (int j = 0; j < 32; ++j)
                    if (mask >> j & 1u) lanes[j]->wait->result = result;
                break;
            }
            case Op::MmaBf16:
            case Op::MmaF16:
                if (mask != 0xffffffffu || n_lanes != 32) {
                    r.failed = true;
                    r.failure = format("%s: %s needs all 32 lanes of a full warp", r.kernel, site(c).c_str());
                    return false;
                }
                complete_mma(lanes, c.op == Op::MmaBf16);
                break;
            case Op::SyncThreads: break;
        }
        for (int j = 0; j < 32; ++j)
            if (mask >> j & 1u) {
                lanes[j]->state = State::Runnable;
                lanes[j]->wait = nullptr;
            }
        progressed = true;
    }
    return progressed;
}

// Releases __syncthreads when every thread of the block waits there.
bool complete_block_barrier() {
    Runtime& r = rt();
    const Fiber* waiting = nullptr;
    int exited = -1;
    for (int i = 0; i < r.n_threads; ++i) {
        const Fiber& f = r.fibers[i];
        if (f.state == State::Runnable) return false;
        if (f.state == State::Exited) {
            if (exited < 0) exited = i;
            continue;
        }
        if (f.wait->op != Op::SyncThreads) return false;
        if (!waiting) waiting = &f;
    }
    if (!waiting) return false;  // every thread has exited
    for (int i = 0; i < r.n_threads; ++i) {
        const Fiber& f = r.fibers[i];
        if (f.state == State::Waiting && !same_site(*f.wait, *waiting->wait)) {
            r.failed = true;
            r.failure = format("%s, block (%u,%u,%u): threads wait at different barriers: thread %d at %s, thread %d at %s",
                               r.kernel, g_block.block_idx.x, g_block.block_idx.y, g_block.block_idx.z,
                               waiting->coords.linear, site(*waiting->wait).c_str(), i, site(*f.wait).c_str());
            return false;
        }
    }
    if (exited >= 0) {
        r.failed = true;
        r.failure = format("%s, block (%u,%u,%u): thread %d exited before the %s that thread %d waits at (a barrier must "
                           "be reached by every thread of the block)", r.kernel, g_block.block_idx.x,
                           g_block.block_idx.y, g_block.block_idx.z, exited, site(*waiting->wait).c_str(),
                           waiting->coords.linear);
        return false;
    }
    for (int i = 0; i < r.n_threads; ++i) {
        r.fibers[i].state = State::Runnable;
        r.fibers[i].wait = nullptr;
    }
    return true;
}

std::string stuck_report() {
    Runtime& r = rt();
    std::vector<std::pair<std::string, int>> counts;
    auto add = [&](const std::string& k) {
        for (auto& c : counts)
            if (c.first == k) {
                ++c.second;
                return;
            }
        counts.emplace_back(k, 1);
    };
    for (int i = 0; i < r.n_threads; ++i) {
        const Fiber& f = r.fibers[i];
        add(f.state == State::Exited ? std::string("exited") : site(*f.wait));
    }
    std::string s = format("%s, block (%u,%u,%u) is stuck (no thread can proceed):", r.kernel, g_block.block_idx.x,
                           g_block.block_idx.y, g_block.block_idx.z);
    for (const auto& c : counts) s += format(" %d at %s;", c.second, c.first.c_str());
    return s;
}

// ============================== blocks and grids ==============================
bool run_block(Schedule schedule, std::mt19937_64& rng) {
    Runtime& r = rt();
    ++r.block_epoch;
    r.block_static_smem = 0;
    for (int i = 0; i < r.n_threads; ++i) fiber_prepare(r.fibers[i]);
    if (r.dynamic_region) std::memset(r.dynamic_region->map + page_size(), 0xFF, r.dynamic_region->map_len - 2 * page_size());
    const int n = r.n_threads, n_warps = (n + 31) / 32;
    std::vector<int> order(n);
    for (;;) {
        bool ran = false;
        switch (schedule) {
            case Schedule::Forward:
            case Schedule::Reverse:
                for (int k = 0; k < n; ++k) {
                    Fiber& f = r.fibers[schedule == Schedule::Forward ? k : n - 1 - k];
                    if (f.state == State::Runnable) {
                        resume(f);
                        ran = true;
                        if (r.failed) return false;
                    }
                }
                break;
            case Schedule::Random: {
                // A random order each round, and each thread lags (sits the round out) with probability 1/2.
                for (int k = 0; k < n; ++k) order[k] = k;
                std::shuffle(order.begin(), order.end(), rng);
                for (int k = 0; k < n; ++k) {
                    Fiber& f = r.fibers[order[k]];
                    if (f.state != State::Runnable || (rng() & 1)) continue;
                    resume(f);
                    ran = true;
                    if (r.failed) return false;
                }
                break;
            }
            case Schedule::WarpForward:
            case Schedule::WarpReverse:
                // One warp runs until each of its lanes waits at __syncthreads or has exited, then the next.
                for (int k = 0; k < n_warps; ++k) {
                    const int w = schedule == Schedule::WarpForward ? k : n_warps - 1 - k;
                    for (;;) {
                        bool warp_ran = false;
                        for (int l = w * 32; l < std::min(n, w * 32 + 32); ++l) {
                            Fiber& f = r.fibers[l];
                            if (f.state != State::Runnable) continue;
                            resume(f);
                            warp_ran = ran = true;
                            if (r.failed) return false;
                        }
                        const bool released = complete_warp(w);
                        if (r.failed) return false;
                        if (!warp_ran && !released) break;
                    }
                }
                break;
        }
        bool released = false;
        for (int w = 0; w < n_warps; ++w) {
            released |= complete_warp(w);
            if (r.failed) return false;
        }
        released |= complete_block_barrier();
        if (r.failed) return false;
        bool all_exited = true, any_runnable = false;
        for (int i = 0; i < n; ++i) {
            all_exited &= r.fibers[i].state == State::Exited;
            any_runnable |= r.fibers[i].state == State::Runnable;
        }
        if (all_exited) return true;
        if (!any_runnable && !released && !ran) {
            r.failed = true;
            r.failure = stuck_report();
            return false;
        }
    }
}

bool run_grid(const LaunchConfig& cfg, Schedule schedule, uint64_t launch_seed) {
    std::mt19937_64 rng(launch_seed);
    const uint64_t gx = cfg.grid.x, gy = cfg.grid.y, gz = cfg.grid.z, total = gx * gy * gz;
    const bool reverse = schedule == Schedule::Reverse || schedule == Schedule::WarpReverse;
    const uint64_t rotate = schedule == Schedule::Random ? rng() % total : 0;
    g_block.block_dim = cfg.block;
    g_block.grid_dim = cfg.grid;
    for (uint64_t k = 0; k < total; ++k) {
        const uint64_t b = reverse ? total - 1 - k : (k + rotate) % total;
        g_block.block_idx = make_uint3((unsigned)(b % gx), (unsigned)(b / gx % gy), (unsigned)(b / (gx * gy)));
        if (!run_block(schedule, rng)) return false;
    }
    return true;
}

void protect_all(bool read_only) {
    for (auto& kv : rt().allocations) {
        Allocation& al = kv.second;
        if (al.shadow->protected_now == read_only) continue;
        mprotect(al.map + page_size(), al.map_len - 2 * page_size(), read_only ? PROT_READ : PROT_READ | PROT_WRITE);
        al.shadow->protected_now = read_only;
    }
}

// The first difference between an allocation now and `want`, as a sentence.
std::string difference(const Allocation& al, const std::vector<char>& want) {
    const char* now = al.ptr;
    size_t i = 0;
    while (now[i] == want[i]) ++i;
    size_t n = 0;
    for (size_t j = i; j < want.size(); ++j) n += now[j] != want[j];
    const size_t w = i & ~(size_t)3;
    uint32_t a = 0, b = 0;
    std::memcpy(&a, want.data() + w, std::min<size_t>(4, want.size() - w));
    std::memcpy(&b, now + w, std::min<size_t>(4, want.size() - w));
    return format("device allocation #%d (%zu bytes): %zu bytes differ, the first at byte %zu (word 0x%08x vs 0x%08x)",
                  al.id, al.size, n, i, a, b);
}

void set_error(cudaError_t e, const std::string& detail) {
    Runtime& r = rt();
    r.last_error = e;
    r.last_error_detail = detail;
    std::fprintf(stderr, "esm2j-emu: %s\n", detail.c_str());
    std::fflush(stderr);
}

char* map_guarded(size_t bytes, size_t align, char** map_out, size_t* len_out) {
    const size_t pg = page_size();
    const size_t data = std::max(pg, (bytes + pg - 1) / pg * pg);
    const size_t len = data + 2 * pg;
    char* m = (char*)mmap(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    if (mprotect(m + pg, data, PROT_READ | PROT_WRITE) != 0) {
        munmap(m, len);
        return nullptr;
    }
    std::memset(m + pg, 0xFF, data);
    *map_out = m;
    *len_out = len;
    const size_t rounded = (bytes + align - 1) / align * align;
    return m + pg + data - rounded;  // the end against the trailing guard page
}

}  // namespace

// ============================== the kernel-facing API ==============================
void arrive(Collective& c) {
    Runtime& r = rt();
    if (!r.in_kernel) {
        std::fprintf(stderr, "esm2j-emu: %s called outside a kernel\n", site(c).c_str());
        std::abort();
    }
    Fiber& f = current_fiber();
    f.wait = &c;
    f.state = State::Waiting;
    yield_to_scheduler(f);
}

void* shared_region(void** slot, size_t bytes, size_t align, const char* name, const char* file, int line) {
    Runtime& r = rt();
    SharedRegion* s = static_cast<SharedRegion*>(*slot);
    if (!s) {
        s = new SharedRegion{};
        s->ptr = map_guarded(bytes, std::max<size_t>(align, 1), &s->map, &s->map_len);
        if (!s->ptr) fail_in_kernel(format("%s: cannot map __shared__ %s", r.kernel, name));
        s->bytes = bytes;
        s->name = name;
        s->file = file;
        s->line = line;
        r.shared_regions.push_back(s);
        *slot = s;
    }
    if (s->epoch != r.block_epoch) {  // the first thread of this block to reach the declaration
        s->epoch = r.block_epoch;
        std::memset(s->map + page_size(), 0xFF, s->map_len - 2 * page_size());
        r.block_static_smem += bytes;
        if (r.block_static_smem + r.dynamic_smem > kMaxStaticSmem)
            fail_in_kernel(format("%s: %zu bytes of __shared__ memory (static %zu with %s at %s:%d, dynamic %zu) exceed "
                                  "the 48 KiB a kernel may use without opting in",
                                  r.kernel, r.block_static_smem + r.dynamic_smem, r.block_static_smem, name,
                                  base_name(file), line, r.dynamic_smem));
    }
    return s->ptr;
}

void* dynamic_shared(const char* name, const char* file, int line) {
    Runtime& r = rt();
    if (!r.dynamic_region)
        fail_in_kernel(format("%s: extern __shared__ %s (%s:%d) used but the launch asked for no dynamic shared memory",
                              r.kernel, name, base_name(file), line));
    return r.dynamic_region->ptr;
}

void launch(const char* kernel, const char* launcher, const char* file, int line, const LaunchConfig& cfg,
            KernelBody body) {
    Runtime& r = rt();
    std::lock_guard<std::recursive_mutex> lock(r.mutex);
    init_options(r);
    install_fault_handler();
    if (r.in_kernel) {
        set_error(cudaErrorNotSupported, format("%s launched from inside a kernel (dynamic parallelism is not emulated)", kernel));
        return;
    }
    const std::string at = format("%s (launched by %s at %s:%d)", kernel, launcher, base_name(file), line);
    const dim3 g = cfg.grid, b = cfg.block;
    const uint64_t threads = (uint64_t)b.x * b.y * b.z;
    if (threads == 0 || threads > kMaxThreadsPerBlock || b.x > 1024 || b.y > 1024 || b.z > 64) {
        set_error(cudaErrorInvalidConfiguration,
                  format("%s: block (%u,%u,%u) = %" PRIu64 " threads: a block has 1..1024 threads, x,y <= 1024, z <= 64",
                         at.c_str(), b.x, b.y, b.z, threads));
        return;
    }
    if (g.x == 0 || g.y == 0 || g.z == 0 || g.x > 2147483647u || g.y > 65535 || g.z > 65535) {
        set_error(cudaErrorInvalidConfiguration,
                  format("%s: grid (%u,%u,%u): x must be 1..2^31-1, y and z 1..65535", at.c_str(), g.x, g.y, g.z));
        return;
    }
    if (cfg.dynamic_smem > kMaxStaticSmem) {
        set_error(cudaErrorInvalidValue, format("%s: %zu bytes of dynamic shared memory (over 48 KiB needs an opt-in the "
                                                "emulator does not model)", at.c_str(), cfg.dynamic_smem));
        return;
    }
    r.kernel = kernel;
    r.launcher = launcher;
    r.file = file;
    r.line = line;
    r.body = body;
    r.n_threads = (int)threads;
    r.dynamic_smem = cfg.dynamic_smem;
    r.dynamic_region = nullptr;
    if (cfg.dynamic_smem) {
        static void* dyn_slot[64];  // one region per size class (powers of two), reused across launches
        int cls = 0;
        while (((size_t)256 << cls) < cfg.dynamic_smem) ++cls;
        SharedRegion* s = static_cast<SharedRegion*>(dyn_slot[cls]);
        if (!s) {
            s = new SharedRegion{};
            s->bytes = (size_t)256 << cls;
            s->ptr = map_guarded(s->bytes, 16, &s->map, &s->map_len);
            s->name = "(dynamic shared memory)";
            s->file = "";
            r.shared_regions.push_back(s);
            dyn_slot[cls] = s;
        }
        r.dynamic_region = s;
    }
    if ((int)r.fibers.size() < r.n_threads) r.fibers.resize(r.n_threads);
    for (int i = 0; i < r.n_threads; ++i) {
        ThreadCoords& c = r.fibers[i].coords;
        c.linear = i;
        c.thread_idx = make_uint3(i % b.x, i / b.x % b.y, i / (b.x * b.y));
    }
    std::vector<Schedule> schedules = r.schedules;
    if (schedules.empty()) {  // forward, and one alternative that rotates from launch to launch
        schedules.push_back(Schedule::Forward);
        schedules.push_back((Schedule)(1 + r.launches % 4));
    }
    const uint64_t launch_seed = r.seed * 0x9E3779B97F4A7C15ull + r.launches;
    ++r.launches;

    const bool compare = schedules.size() > 1;
    if (compare)
        for (auto& kv : r.allocations) {
            Shadow& sh = *kv.second.shadow;
            if (!sh.before_valid) {
                sh.before.assign(kv.second.ptr, kv.second.ptr + kv.second.size);
                sh.before_valid = true;
            }
            sh.written = sh.written_first = false;
        }
    for (size_t k = 0; k < schedules.size(); ++k) {
        if (compare) protect_all(true);
        r.in_kernel = true;
        t_running_kernel = true;
        r.failed = false;
        const bool ok = run_grid(cfg, schedules[k], launch_seed);
        t_running_kernel = false;
        r.in_kernel = false;
        g_thread = nullptr;
        if (compare) protect_all(false);
        if (!ok) {
            for (auto& kv : r.allocations) kv.second.shadow->before_valid = false;
            set_error(cudaErrorLaunchFailure, format("kernel %s failed under the %s schedule: %s", at.c_str(),
                                                     kScheduleNames[(int)schedules[k]], r.failure.c_str()));
            return;
        }
        if (!compare) break;
        const bool last = k + 1 == schedules.size();
        for (auto& kv : r.allocations) {
            Allocation& al = kv.second;
            Shadow& sh = *al.shadow;
            if (k == 0) {
                if (!sh.written) continue;
                sh.after.assign(al.ptr, al.ptr + al.size);
                sh.written_first = true;
            } else if (sh.written || sh.written_first) {
                const std::vector<char>& want = sh.written_first ? sh.after : sh.before;
                if (std::memcmp(al.ptr, want.data(), al.size) != 0) {
                    const std::string diff = difference(al, want);
                    for (auto& kv2 : r.allocations) kv2.second.shadow->before_valid = false;
                    set_error(cudaErrorLaunchFailure,
                              format("kernel %s: the %s and %s schedules leave different device memory (a missing "
                                     "barrier or a race between threads or blocks): %s", at.c_str(),
                                     kScheduleNames[(int)schedules[0]], kScheduleNames[(int)schedules[k]], diff.c_str()));
                    return;
                }
            }
            if (!last && (sh.written || sh.written_first)) std::memcpy(al.ptr, sh.before.data(), al.size);
            sh.written = false;
        }
    }
    if (compare)  // what the launch left is the next launch's "before"
        for (auto& kv : r.allocations) {
            Shadow& sh = *kv.second.shadow;
            if (sh.written_first) std::swap(sh.before, sh.after);
        }
}

// ============================== for cudart.cpp ==============================
std::recursive_mutex& runtime_mutex() { return rt().mutex; }

void* device_alloc(size_t bytes, int device) {
    Runtime& r = rt();
    std::lock_guard<std::recursive_mutex> lock(r.mutex);
    Allocation a{};
    a.size = bytes;
    a.device = device;
    a.ptr = map_guarded(bytes ? bytes : 1, 16, &a.map, &a.map_len);
    if (!a.ptr) return nullptr;
    a.id = r.next_allocation_id++;
    a.shadow = std::make_shared<Shadow>();
    r.allocations[(uintptr_t)a.ptr] = a;
    return a.ptr;
}

bool device_free(void* p, int* device, size_t* bytes) {
    Runtime& r = rt();
    std::lock_guard<std::recursive_mutex> lock(r.mutex);
    auto it = r.allocations.find((uintptr_t)p);
    if (it == r.allocations.end()) return false;
    Allocation a = it->second;
    r.allocations.erase(it);
    *device = a.device;
    *bytes = a.size;
    a.shadow.reset();
    madvise(a.map, a.map_len, MADV_DONTNEED);  // give the memory back, keep the addresses:
    mprotect(a.map, a.map_len, PROT_NONE);     // a late access faults and is reported as after cudaFree
    r.quarantine.push_back(a);
    r.quarantine_bytes += a.map_len;
    while (r.quarantine_bytes > ((size_t)8 << 30) && !r.quarantine.empty()) {
        munmap(r.quarantine.front().map, r.quarantine.front().map_len);
        r.quarantine_bytes -= r.quarantine.front().map_len;
        r.quarantine.erase(r.quarantine.begin());
    }
    return true;
}

bool device_range(const void* p, size_t bytes, int* device) {
    Runtime& r = rt();
    std::lock_guard<std::recursive_mutex> lock(r.mutex);
    const uintptr_t a = (uintptr_t)p;
    auto it = r.allocations.upper_bound(a);
    if (it == r.allocations.begin()) return false;
    --it;
    if (a < it->first || a + bytes > it->first + it->second.size) return false;
    if (device) *device = it->second.device;
    return true;
}

void device_host_write(const void* p) {
    Runtime& r = rt();
    std::lock_guard<std::recursive_mutex> lock(r.mutex);
    auto it = r.allocations.upper_bound((uintptr_t)p);
    if (it == r.allocations.begin()) return;
    --it;
    it->second.shadow->before_valid = false;
}

void record_error(cudaError_t e, const std::string& detail) {
    std::lock_guard<std::recursive_mutex> lock(rt().mutex);
    set_error(e, detail);
}

cudaError_t take_last_error() {
    Runtime& r = rt();
    std::lock_guard<std::recursive_mutex> lock(r.mutex);
    const cudaError_t e = r.last_error;
    r.last_error = cudaSuccess;
    return e;
}

cudaError_t peek_last_error() { return rt().last_error; }

const char* last_error_detail() { return rt().last_error_detail.c_str(); }

}  // namespace esm2j_emu
