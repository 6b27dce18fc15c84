// safetensors.cpp - see safetensors.h. The JSON parser handles exactly what safetensors headers
// contain (objects, arrays, strings, integers); it validates every offset against the file size.
#include "safetensors.h"

#include <cstring>
#include <fstream>

namespace gpucheck {

namespace {

struct Json {
    const char* p;
    const char* end;
    bool ok = true;

    void ws() {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    }
    bool eat(char c) {
        ws();
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    std::string str() {
        ws();
        std::string s;
        if (p >= end || *p != '"') {
            ok = false;
            return s;
        }
        ++p;
        while (p < end && *p != '"') {
            if (*p == '\\' && p + 1 < end) ++p;
            s += *p++;
        }
        if (p < end) ++p; else ok = false;
        return s;
    }
    int64_t num() {
        ws();
        bool neg = false;
        if (p < end && *p == '-') {
            neg = true;
            ++p;
        }
        int64_t v = 0;
        if (p >= end || *p < '0' || *p > '9') ok = false;
        while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
        return neg ? -v : v;
    }
    void skip() {  // any value
        ws();
        if (p >= end) {
            ok = false;
            return;
        }
        if (*p == '"') {
            str();
        } else if (*p == '{') {
            ++p;
            if (eat('}')) return;
            do {
                str();
                if (!eat(':')) { ok = false; return; }
                skip();
            } while (ok && eat(','));
            if (!eat('}')) ok = false;
        } else if (*p == '[') {
            ++p;
            if (eat(']')) return;
            do skip(); while (ok && eat(','));
            if (!eat(']')) ok = false;
        } else {
            while (p < end && *p != ',' && *p != '}' && *p != ']') ++p;
        }
    }
};

size_t dtype_bytes(const std::string& d) {
    if (d == "F64" || d == "I64") return 8;
    if (d == "F32" || d == "I32") return 4;
    if (d == "F16" || d == "BF16" || d == "I16") return 2;
    if (d == "U8" || d == "I8" || d == "BOOL") return 1;
    return 0;
}

float half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    int exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal
            exp = 1;
            while (!(mant & 0x400)) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3ff;
            bits = sign | ((uint32_t)(exp + 127 - 15) << 23) | (mant << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((uint32_t)(exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

}  // namespace

std::vector<float> StTensor::to_f32() const {
    const int64_t n = numel();
    std::vector<float> out((size_t)n);
    for (int64_t i = 0; i < n; ++i) {
        if (dtype == "F32") {
            std::memcpy(&out[i], data + i * 4, 4);
        } else if (dtype == "F64") {
            double d;
            std::memcpy(&d, data + i * 8, 8);
            out[i] = (float)d;
        } else if (dtype == "F16") {
            uint16_t h;
            std::memcpy(&h, data + i * 2, 2);
            out[i] = half_to_float(h);
        } else if (dtype == "BF16") {
            uint16_t h;
            std::memcpy(&h, data + i * 2, 2);
            const uint32_t bits = (uint32_t)h << 16;
            std::memcpy(&out[i], &bits, 4);
        }
    }
    return out;
}

std::vector<int32_t> StTensor::to_i32() const {
    const int64_t n = numel();
    std::vector<int32_t> out((size_t)n);
    for (int64_t i = 0; i < n; ++i) {
        if (dtype == "I64") {
            int64_t v;
            std::memcpy(&v, data + i * 8, 8);
            out[i] = (int32_t)v;
        } else if (dtype == "I32") {
            std::memcpy(&out[i], data + i * 4, 4);
        }
    }
    return out;
}

bool SafeTensors::load(const std::string& path, std::string* err) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        *err = "cannot open " + path;
        return false;
    }
    const std::streamsize size = in.tellg();
    in.seekg(0);
    file_.resize((size_t)size);
    if (!in.read(reinterpret_cast<char*>(file_.data()), size)) {
        *err = "cannot read " + path;
        return false;
    }
    if (size < 8) {
        *err = path + ": too short for safetensors";
        return false;
    }
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | file_[i];
    if (header_len > (uint64_t)size - 8) {
        *err = path + ": header length beyond the file";
        return false;
    }
    const uint8_t* data_start = file_.data() + 8 + header_len;
    const size_t data_size = (size_t)size - 8 - header_len;
    Json j{reinterpret_cast<const char*>(file_.data() + 8), reinterpret_cast<const char*>(data_start)};
    if (!j.eat('{')) {
        *err = path + ": header is not a JSON object";
        return false;
    }
    if (!j.eat('}')) {
        do {
            const std::string name = j.str();
            if (!j.eat(':')) break;
            if (name == "__metadata__") {
                j.skip();
                continue;
            }
            StTensor t;
            int64_t begin = -1, finish = -1;
            if (!j.eat('{')) break;
            do {
                const std::string key = j.str();
                if (!j.eat(':')) break;
                if (key == "dtype") {
                    t.dtype = j.str();
                } else if (key == "shape") {
                    if (!j.eat('[')) break;
                    if (!j.eat(']')) {
                        do t.shape.push_back(j.num()); while (j.ok && j.eat(','));
                        if (!j.eat(']')) j.ok = false;
                    }
                } else if (key == "data_offsets") {
                    if (!j.eat('[')) break;
                    begin = j.num();
                    if (!j.eat(',')) j.ok = false;
                    finish = j.num();
                    if (!j.eat(']')) j.ok = false;
                } else {
                    j.skip();
                }
            } while (j.ok && j.eat(','));
            if (!j.eat('}')) j.ok = false;
            const size_t eb = dtype_bytes(t.dtype);
            if (!j.ok || eb == 0 || begin < 0 || finish < begin || (size_t)finish > data_size ||
                (size_t)(finish - begin) != (size_t)t.numel() * eb) {
                *err = path + ": bad entry for tensor " + name;
                return false;
            }
            t.data = data_start + begin;
            t.bytes = (size_t)(finish - begin);
            tensors_[name] = t;
        } while (j.ok && j.eat(','));
        if (!j.ok || !j.eat('}')) {
            *err = path + ": malformed header";
            return false;
        }
    }
    return true;
}

const StTensor* SafeTensors::find(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
}

}  // namespace gpucheck
