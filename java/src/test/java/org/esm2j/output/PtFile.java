package org.esm2j.output;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a {@code .pt} file without PyTorch, independently of the code under test: the zip archive with the JDK's
 * {@link ZipInputStream} (which checks every stored record's size and CRC), the layout PyTorch expects checked from
 * the central directory (stored records, data 64-byte aligned, one root folder, data.pkl first), and
 * {@code data.pkl} with a restricted unpickler that knows only the opcodes and globals a tensor dictionary needs,
 * as {@code torch.load(weights_only=True)} does: anything else fails the test.
 *
 * <p>Values: a Python dict becomes a {@link LinkedHashMap} (key order kept), str a {@link String}, int a
 * {@link Long}, a tensor a {@link Tensor}.
 */
public final class PtFile {
    /** A CPU tensor: its storage class ({@code FloatStorage}, {@code HalfStorage}), shape and values as floats. */
    public record Tensor(String storage, long[] shape, float[] values) {
    }

    private record Global(String name) {
    }

    private record PersistentStorage(String type, String key, long numel) {
    }

    private static final Object MARK = new Object();

    private PtFile() {
    }

    /** The dictionary a {@code torch.load} of {@code file} gives. */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> load(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            String root = checkLayout(file, all);
            Map<String, byte[]> records = new LinkedHashMap<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(all))) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    records.put(e.getName(), in.readAllBytes()); // a wrong size or CRC throws here
                }
            }
            check(Arrays.equals(records.get(root + "byteorder"), "little".getBytes(StandardCharsets.US_ASCII)), file + ": byteorder");
            check(Arrays.equals(records.get(root + "version"), "3\n".getBytes(StandardCharsets.US_ASCII)), file + ": version");
            Object o = unpickle(records.get(root + "data.pkl"), records, root);
            check(o instanceof Map, file + ": data.pkl is not a dict");
            return (Map<Object, Object>) o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The central directory's view: every record stored, data.pkl first, data/* 64-byte aligned; returns the root folder. */
    private static String checkLayout(Path file, byte[] all) {
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int end = all.length - 22;
        check(b.getInt(end) == 0x06054b50, file + ": no end-of-central-directory record at the end");
        int entries = b.getShort(end + 10) & 0xffff;
        int at = b.getInt(end + 16);
        String root = null;
        for (int i = 0; i < entries; i++) {
            check(b.getInt(at) == 0x02014b50, file + ": central directory entry " + i);
            int method = b.getShort(at + 10);
            int nameLen = b.getShort(at + 28) & 0xffff;
            int extraLen = b.getShort(at + 30) & 0xffff;
            int commentLen = b.getShort(at + 32) & 0xffff;
            int local = b.getInt(at + 42);
            String name = new String(all, at + 46, nameLen, StandardCharsets.UTF_8);
            check(method == 0, file + ": " + name + " is compressed; PyTorch stores records");
            if (i == 0) {
                check(name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length(), file + ": first record " + name);
                root = name.substring(0, name.indexOf('/') + 1);
            }
            check(name.startsWith(root), file + ": " + name + " outside " + root);
            int localName = b.getShort(local + 26) & 0xffff;
            int localExtra = b.getShort(local + 28) & 0xffff;
            int data = local + 30 + localName + localExtra;
            if (name.startsWith(root + "data/")) {
                check(data % 64 == 0, file + ": " + name + " data at " + data + ", not 64-byte aligned");
            }
            at += 46 + nameLen + extraLen + commentLen;
        }
        return root;
    }

    private static Object unpickle(byte[] pkl, Map<String, byte[]> records, String root) {
        check(pkl != null, "no data.pkl");
        ByteBuffer in = ByteBuffer.wrap(pkl).order(ByteOrder.LITTLE_ENDIAN);
        Deque<Object> stack = new ArrayDeque<>();
        check((in.get() & 0xff) == 0x80 && in.get() == 2, "not pickle protocol 2");
        while (true) {
            int op = in.get() & 0xff;
            switch (op) {
                case '.' -> {
                    check(!in.hasRemaining(), "bytes after STOP");
                    check(stack.size() == 1, "STOP with " + stack.size() + " objects on the stack");
                    return stack.pop();
                }
                case '}' -> stack.push(new LinkedHashMap<>());
                case '(' -> stack.push(MARK);
                case 'X' -> {
                    byte[] s = new byte[in.getInt()];
                    in.get(s);
                    stack.push(new String(s, StandardCharsets.UTF_8));
                }
                case 'K' -> stack.push((long) (in.get() & 0xff));
                case 'M' -> stack.push((long) (in.getShort() & 0xffff));
                case 'J' -> stack.push((long) in.getInt());
                case 0x89 -> stack.push(Boolean.FALSE);
                case ')' -> stack.push(List.of());
                case 0x85, 0x86 -> {
                    int n = op - 0x84;
                    List<Object> t = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        t.addFirst(stack.pop());
                    }
                    stack.push(List.copyOf(t));
                }
                case 't' -> stack.push(List.copyOf(popMark(stack)));
                case 'u' -> {
                    List<Object> items = popMark(stack);
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                    check(items.size() % 2 == 0, "odd SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) {
                        check(items.get(i) instanceof String || items.get(i) instanceof Long, "dict key " + items.get(i));
                        check(dict.put(items.get(i), items.get(i + 1)) == null, "key " + items.get(i) + " twice");
                    }
                }
                case 'c' -> {
                    String module = line(in);
                    String name = line(in);
                    String g = module + "." + name;
                    check(List.of("torch._utils._rebuild_tensor_v2", "torch.FloatStorage", "torch.HalfStorage", "collections.OrderedDict").contains(g),
                            "global " + g + " is not allowed");
                    stack.push(new Global(g));
                }
                case 'Q' -> {
                    List<?> pid = (List<?>) stack.pop();
                    check(pid.size() == 5 && pid.get(0).equals("storage") && pid.get(3).equals("cpu"), "persistent id " + pid);
                    stack.push(new PersistentStorage(((Global) pid.get(1)).name(), (String) pid.get(2), (Long) pid.get(4)));
                }
                case 'R' -> {
                    List<?> args = (List<?>) stack.pop();
                    Global f = (Global) stack.pop();
                    stack.push(switch (f.name()) {
                        case "collections.OrderedDict" -> {
                            check(args.isEmpty(), "OrderedDict with arguments");
                            yield new LinkedHashMap<>();
                        }
                        case "torch._utils._rebuild_tensor_v2" -> rebuild(args, records, root);
                        default -> throw new AssertionError("cannot call " + f.name());
                    });
                }
                default -> throw new AssertionError("opcode 0x" + Integer.toHexString(op) + " at " + (in.position() - 1)
                        + " is not one a tensor dictionary needs");
            }
        }
    }

    private static Tensor rebuild(List<?> args, Map<String, byte[]> records, String root) {
        check(args.size() == 6, "_rebuild_tensor_v2 takes 6 arguments here, got " + args.size());
        PersistentStorage s = (PersistentStorage) args.get(0);
        check((Long) args.get(1) == 0, "storage offset " + args.get(1));
        long[] shape = ((List<?>) args.get(2)).stream().mapToLong(v -> (Long) v).toArray();
        long[] stride = ((List<?>) args.get(3)).stream().mapToLong(v -> (Long) v).toArray();
        check(args.get(4).equals(Boolean.FALSE), "requires_grad");
        check(args.get(5) instanceof Map<?, ?> m && m.isEmpty(), "backward hooks");
        long numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        check(numel == s.numel(), "shape " + Arrays.toString(shape) + " for " + s.numel() + " elements");
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            check(stride[i] == expect, "not contiguous: stride " + Arrays.toString(stride));
            expect *= shape[i];
        }
        byte[] data = records.get(root + "data/" + s.key());
        check(data != null, "no record data/" + s.key());
        boolean half = s.type().equals("torch.HalfStorage");
        check(data.length == numel * (half ? 2 : 4), "data/" + s.key() + " holds " + data.length + " bytes for " + numel + " elements");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[(int) numel];
        for (int i = 0; i < values.length; i++) {
            values[i] = half ? Float.float16ToFloat(b.getShort()) : b.getFloat();
        }
        return new Tensor(s.type().substring("torch.".length()), shape, values);
    }

    private static List<Object> popMark(Deque<Object> stack) {
        List<Object> items = new ArrayList<>();
        while (true) {
            check(!stack.isEmpty(), "no MARK");
            Object o = stack.pop();
            if (o == MARK) {
                return items;
            }
            items.addFirst(o);
        }
    }

    private static String line(ByteBuffer in) {
        StringBuilder sb = new StringBuilder();
        byte c;
        while ((c = in.get()) != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
