package io.github.natgrad.spark.train;

import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.MalformedDataException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * A training or test file read by Spark (any path its Hadoop file system reads; locally a file path) into one
 * {@link Block} per partition, parsed once and cached on the executors (memory only), with what the driver
 * needs of it: N, nnz, the column count, the classes of a softmax. A malformed line is reported as the local
 * reader reports it, with the file's line (the split's line plus the lines of the splits before it).
 */
final class SparkData {
    final String file;
    final JavaRDD<Block> blocks;
    final int rows;
    final long nonZeros;
    final int columns;
    final double[] classes;
    final boolean dense;

    private SparkData(String file, JavaRDD<Block> blocks, int rows, long nonZeros, int columns, double[] classes,
            boolean dense) {
        this.file = file;
        this.blocks = blocks;
        this.rows = rows;
        this.nonZeros = nonZeros;
        this.columns = columns;
        this.classes = classes;
        this.dense = dense;
    }

    /** What the driver collects of a block: O(1) (plus the distinct labels of a softmax split). */
    record Summary(int partition, long lines, String error, long errorLine, int rows, long nonZeros, int maxColumns,
            boolean dense, double[] labels) implements Serializable {
    }

    /**
     * Reads {@code file}.
     *
     * @param columns the column count to use (0: the largest index of the file; a test file gets the training one)
     * @param classes the training classes, for a softmax test file (else null)
     */
    static SparkData read(JavaSparkContext jsc, String file, String format, LabelMapping mapping, int columns,
            double[] classes, int partitions) {
        boolean csv = format != null ? format.equals("csv") : file.toLowerCase(Locale.ROOT).endsWith(".csv");
        if (format != null && !format.equals("csv") && !format.equals("libsvm")) {
            throw new IllegalArgumentException("unknown --format '" + format + "'; choose libsvm or csv");
        }
        if (!file.contains("://") && !java.nio.file.Files.exists(Path.of(file))) {
            throw new MalformedDataException(Path.of(file), 0, "no such file");
        }
        JavaRDD<String> text = partitions > 0 ? lines(jsc, file, partitions) : jsc.textFile(file);
        JavaRDD<Block> blocks = text.mapPartitionsWithIndex((index, lines) -> List.of(
                Block.parse(index, lines, file, csv, mapping)).iterator(), true);
        blocks.persist(StorageLevel.MEMORY_ONLY());
        List<Summary> summaries = blocks.map(b -> new Summary(b.partition, b.lines, b.error, b.errorLine, b.rows,
                b.values != null ? b.values.length : b.dense != null ? b.dense.length : 0, b.maxColumns,
                b.dense != null, b.labels)).collect();
        try {
            return summarise(file, blocks, summaries, csv, mapping, columns, classes);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    /**
     * The lines of {@code file} in exactly {@code partitions} splits of equal bytes (Hadoop's minimum and maximum
     * split size both set to size / partitions), where {@code textFile} would cut a file larger than partitions ×
     * the file system's block size (32 MB locally, 128 MB on HDFS) at every block: every partition of the training
     * data costs each pass one more D-vector up, so a run on P cores wants P partitions, not one per block. A path
     * whose size cannot be read up front (a glob) falls back to {@code textFile}.
     */
    static JavaRDD<String> lines(JavaSparkContext jsc, String file, int partitions) {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(jsc.hadoopConfiguration());
        long size;
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
            size = path.getFileSystem(conf).getContentSummary(path).getLength();
        } catch (java.io.IOException | RuntimeException e) {
            return jsc.textFile(file, partitions);
        }
        long split = Math.max(1, (size + partitions - 1) / partitions);
        conf.setLong(org.apache.hadoop.mapreduce.lib.input.FileInputFormat.SPLIT_MINSIZE, split);
        conf.setLong(org.apache.hadoop.mapreduce.lib.input.FileInputFormat.SPLIT_MAXSIZE, split);
        return jsc.newAPIHadoopFile(file, org.apache.hadoop.mapreduce.lib.input.TextInputFormat.class,
                org.apache.hadoop.io.LongWritable.class, org.apache.hadoop.io.Text.class, conf)
                .map(line -> line._2().toString());
    }

    private static SparkData summarise(String file, JavaRDD<Block> blocks, List<Summary> summaries, boolean csv,
            LabelMapping mapping, int columns, double[] trainClasses) {
        long before = 0;
        int n = 0;
        long nnz = 0;
        int maxColumns = 0;
        int width = -1;
        TreeSet<Double> labels = new TreeSet<>();
        for (Summary s : summaries) {
            if (s.error() != null) {
                throw new MalformedDataException(Path.of(file), s.errorLine() > 0 ? before + s.errorLine() : 0,
                        s.error());
            }
            if (s.rows() > 0 && csv) {
                if (width >= 0 && s.maxColumns() != width) {
                    throw new MalformedDataException(Path.of(file), before + 1, (s.maxColumns() + 1)
                            + " columns, expected " + (width + 1) + " (the lines before have " + (width + 1) + ")");
                }
                width = s.maxColumns();
            }
            before += s.lines();
            n = Math.addExact(n, s.rows());
            nnz += s.nonZeros();
            maxColumns = Math.max(maxColumns, s.maxColumns());
            if (s.labels() != null) {
                for (double v : s.labels()) {
                    labels.add(v);
                }
            }
        }
        if (n == 0) {
            throw new MalformedDataException(Path.of(file), 0, "no examples (the file is empty or only comments)");
        }
        int p = columns > 0 ? columns : Math.max(1, maxColumns);
        if (columns > 0 && maxColumns > columns) {
            throw new MalformedDataException(Path.of(file), 0, "a feature index reaches " + maxColumns
                    + " but the data has " + columns + " columns (the training data's count); read both files "
                    + "with the larger count");
        }
        double[] classes = null;
        if (mapping == LabelMapping.CLASSES) {
            double[] seen = labels.stream().mapToDouble(Double::doubleValue).toArray();
            classes = trainClasses != null ? trainClasses : seen;
            for (double v : seen) {
                if (v != Math.rint(v) || Arrays.binarySearch(classes, v) < 0) {
                    throw new MalformedDataException(Path.of(file), 0, "label " + v + " is not "
                            + (v != Math.rint(v) ? "an integer class label" : "one of the training classes "
                                    + Arrays.toString(classes)));
                }
            }
        }
        return new SparkData(file, blocks, n, nnz, p, classes, csv);
    }
}
