package io.github.natgrad.bench.ablate;

import io.github.natgrad.bench.ResumableCsv;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * The column layout of a table that {@link StudyStore} keeps resumably, given as data: the file's name,
 * its columns, the key of a row and the strict check of a row read back. Every {@link StudyKind} is one
 * (the kind's table, e.g. {@code misspec.csv}, or {@code reproduce optim}'s runs.csv, whose columns
 * {@code dataset,optimizer,lr,damping,iterations,final_loss,diverged} are not the grid study's).
 * Rows are lists of fields as written; two rows with the same key are the same row.
 */
public interface StudyTable {

    /** The columns of the table, in order (the header line). */
    List<String> header();

    /** The file name of the table in the results folder (e.g. {@code misspec.csv}). */
    String storeFile();

    /**
     * Checks a row read back from the table (its field count is checked already); the default accepts it.
     *
     * @throws IllegalArgumentException saying which field is wrong (the store adds the file and line)
     */
    default void checkRow(List<String> row) {
    }

    /** The key of a row of the table. */
    String rowKey(List<String> row);

    /**
     * The table as a {@link ResumableCsv} file format: its header, rows written as they are and read back
     * strictly (as many fields as columns, then {@link #checkRow}), keyed by {@link #rowKey}.
     */
    default ResumableCsv.Schema<List<String>> schema() {
        StudyTable layout = this;
        return new ResumableCsv.Schema<>() {
            @Override
            public List<String> header() {
                return layout.header();
            }

            @Override
            public List<String> fields(List<String> row) {
                return row;
            }

            @Override
            public List<String> parse(CSVRecord c) {
                if (c.size() != layout.header().size()) {
                    throw new IllegalArgumentException("the row has " + c.size() + " fields, the table "
                            + layout.header().size() + " columns");
                }
                List<String> row = List.copyOf(c.toList());
                layout.checkRow(row);
                return row;
            }

            @Override
            public String key(List<String> row) {
                return layout.rowKey(row);
            }
        };
    }

    /**
     * {@code text}, checked to be a number ({@link Double#parseDouble}), for a {@link #checkRow}.
     *
     * @throws IllegalArgumentException naming the column, when it is not
     */
    static String number(String text, String column) {
        try {
            Double.parseDouble(text);
            return text;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not a number");
        }
    }

    /**
     * {@code text} as an integer, for a {@link #checkRow}.
     *
     * @throws IllegalArgumentException naming the column, when it is not one
     */
    static int integer(String text, String column) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not an integer");
        }
    }

    /**
     * {@code text} as a flag ({@code true} or {@code false}, nothing else), for a {@link #checkRow}.
     *
     * @throws IllegalArgumentException naming the column, when it is neither
     */
    static boolean flag(String text, String column) {
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true");
        }
        throw new IllegalArgumentException(column + " '" + text + "' is neither true nor false");
    }
}
