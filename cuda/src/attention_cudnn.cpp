// attention_cudnn.cpp - placeholder, replaced below
#include "attention_cudnn.h"

#include "esm2j.h"

namespace esm2j {

struct CudnnAttention::Impl {};
CudnnAttention::CudnnAttention() : impl_(new Impl) {}
CudnnAttention::~CudnnAttention() = default;
bool CudnnAttention::compiled_in() { return false; }
const char* CudnnAttention::version() { return "none"; }
bool CudnnAttention::supports(const AttentionParams&, std::string* why) {
    *why = "not built";
    return false;
}
int CudnnAttention::run(const AttentionParams&, const CudnnBatchInputs&, void*, size_t, cudaStream_t, bool* ran,
                        std::string* why) {
    *ran = false;
    *why = "not built";
    return ESM2J_OK;
}

}  // namespace esm2j
