package org.esm2j.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code data.pkl} of a {@code torch.save} file, written as PyTorch writes it: pickle protocol 2, tensors as
 * {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, collections.OrderedDict())} whose storage
 * is the persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} (HalfStorage for float16), the
 * storage's bytes being the archive's {@code data/<key>} record ({@link TorchArchive}).
 *
 * <p>Only what {@code torch.load(weights_only=True)} accepts is emitted: dicts, str, int, and those two globals; no memo
 * opcodes (none are needed), so a reader needs only the opcodes listed below.
 */
final class TorchPickle {
    // Pickle opcodes, protocol 2 (Python's Lib/pickle.py).
    static final int PROTO = 0x80;
    static final int STOP = '.';
    static final int MARK = '(';
    static final int EMPTY_DICT = '}';
    static final int SETITEMS = 'u';
    static final int BINUNICODE = 'X';
    static final int BININT1 = 'K';
    static final int BININT2 = 'M';
    static final int BININT = 'J';
    static final int GLOBAL = 'c';
    static final int TUPLE = 't';
    static final int TUPLE1 = 0x85;
    static final int TUPLE2 = 0x86;
    static final int EMPTY_TUPLE = ')';
    static final int BINPERSID = 'Q';
    static final int NEWFALSE = 0x89;
    static final int REDUCE = 'R';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final OutputDtype dtype;
    private final List<float[]> storages = new ArrayList<>();

    TorchPickle(OutputDtype dtype) {
        this.dtype = dtype;
        out.write(PROTO);
        out.write(2);
    }

    /** Opens a dict: its keys and values follow, alternately, until {@link #endDict}. */
    TorchPickle beginDict() {
        out.write(EMPTY_DICT);
        out.write(MARK);
        return this;
    }

    TorchPickle endDict() {
        out.write(SETITEMS);
        return this;
    }

    TorchPickle string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        int32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** A Python int (the layer keys, sizes, strides; all of them fit in 31 bits). */
    TorchPickle integer(long v) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("int out of range: " + v);
        }
        if (v < 0x100) {
            out.write(BININT1);
            out.write((int) v);
        } else if (v < 0x10000) {
            out.write(BININT2);
            out.write((int) v & 0xff);
            out.write((int) (v >>> 8) & 0xff);
        } else {
            out.write(BININT);
            int32((int) v);
        }
        return this;
    }

    /** A contiguous CPU tensor of rank 1 or 2 holding {@code values} (row-major), stored as this pickle's dtype. */
    TorchPickle tensor(float[] values, long... shape) {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        if (numel != values.length || shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        String key = Integer.toString(storages.size());
        storages.add(values);
        global("torch._utils", "_rebuild_tensor_v2");
        out.write(MARK);
        // The storage, by persistent id: ('storage', torch.FloatStorage, key, 'cpu', numel).
        out.write(MARK);
        string("storage");
        global("torch", dtype == OutputDtype.FLOAT16 ? "HalfStorage" : "FloatStorage");
        string(key);
        string("cpu");
        integer(numel);
        out.write(TUPLE);
        out.write(BINPERSID);
        integer(0); // storage offset
        tuple(shape);
        tuple(shape.length == 1 ? new long[] {1} : new long[] {shape[1], 1}); // contiguous strides
        out.write(NEWFALSE); // requires_grad
        global("collections", "OrderedDict"); // backward hooks: OrderedDict()
        out.write(EMPTY_TUPLE);
        out.write(REDUCE);
        out.write(TUPLE);
        out.write(REDUCE);
        return this;
    }

    private void tuple(long[] items) {
        for (long i : items) {
            integer(i);
        }
        out.write(items.length == 1 ? TUPLE1 : TUPLE2);
    }

    private void global(String module, String name) {
        out.write(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void int32(int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }

    /** The pickle, ended by STOP; call once, after the last object. */
    byte[] finish() {
        out.write(STOP);
        return out.toByteArray();
    }

    /** The tensors' data in key order ({@code data/0}, {@code data/1}, …). */
    List<float[]> storages() {
        return storages;
    }

    OutputDtype dtype() {
        return dtype;
    }
}
