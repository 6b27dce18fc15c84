package org.esm2j.schedule;

/** Device ids in natural order: {@code cuda:2} before {@code cuda:10}, for tables and manifests. */
final class DeviceIds {
    private DeviceIds() {
    }

    /** Device ids in natural order: cuda:2 before cuda:10, whatever order the devices registered in. */
    static int compare(String a, String b) {
        int ia = numberStart(a);
        int ib = numberStart(b);
        int byPrefix = a.substring(0, ia).compareTo(b.substring(0, ib));
        if (byPrefix != 0 || ia == a.length() || ib == b.length()) {
            return byPrefix != 0 ? byPrefix : a.compareTo(b);
        }
        String na = a.substring(ia);
        String nb = b.substring(ib);
        return na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
    }

    private static int numberStart(String id) {
        int i = id.length();
        while (i > 0 && Character.isDigit(id.charAt(i - 1))) {
            i--;
        }
        return i;
    }
}
