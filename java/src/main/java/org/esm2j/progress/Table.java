package org.esm2j.progress;

import java.util.List;

/** Aligned text columns, shared by the live dashboard and the end-of-run summary. */
final class Table {
    static final String GAP = "  ";

    private Table() {
    }

    /** The widest cell of each column (in terminal columns); null cells count as empty. */
    static int[] widths(List<String[]> rows, int columns) {
        int[] w = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                if (row[c] != null) {
                    w[c] = Math.max(w[c], Text.width(row[c]));
                }
            }
        }
        return w;
    }

    /**
     * One line of the table: the columns with {@code shown[c]}, padded to {@code widths[c]}, right-aligned where
     * {@code right[c]}; trailing blanks are dropped so that lines never end in padding.
     */
    static String line(String[] cells, int[] widths, boolean[] right, boolean[] shown) {
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (int c = 0; c < cells.length; c++) {
            if (!shown[c]) {
                continue;
            }
            if (!first) {
                b.append(GAP);
            }
            first = false;
            String cell = cells[c] == null ? "" : cells[c];
            b.append(right[c] ? Text.padLeft(cell, widths[c]) : Text.padRight(cell, widths[c]));
        }
        return b.toString().stripTrailing();
    }
}
