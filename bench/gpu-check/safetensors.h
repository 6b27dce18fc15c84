// safetensors.h - a small reader for the safetensors format (8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}}, then the raw data), enough for the test data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gpucheck {

struct StTensor {
    std::string dtype;           // "F32", "F16", "BF16", "I64", "I32", "F64"
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;
    size_t bytes = 0;
    int64_t numel() const {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        return n;
    }
    std::vector<float> to_f32() const;    // F32/F16/BF16/F64 -> float
    std::vector<int32_t> to_i32() const;  // I64/I32 -> int32
};

class SafeTensors {
public:
    // Reads the whole file; false with a message in *err when it is not valid safetensors.
    bool load(const std::string& path, std::string* err);
    const StTensor* find(const std::string& name) const;
    const std::map<std::string, StTensor>& tensors() const { return tensors_; }

private:
    std::vector<uint8_t> file_;
    std::map<std::string, StTensor> tensors_;
};

}  // namespace gpucheck
