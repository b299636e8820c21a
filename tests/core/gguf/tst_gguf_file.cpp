// The GGUF reader (gguf_file.h) on files written byte by byte: every metadata type, the data
// aligned as general.alignment says and shapes turned outermost first; then every way a file can
// be wrong gets its one-line error naming the file and the key or tensor, and so does every
// truncation of a valid file.
#include "core/gguf/gguf_file.h"
#include "tests/core/gguf/gguf_bytes.h"
#include "tests/error_of.h"

#include <QtTest>

using namespace strata;
using gguf::GgufFile;
using test::GgufBytes;

namespace {

constexpr uint32_t kF32 = 0, kQ8_0 = 8, kIq2Xxs = 16;

// A valid file: two keys, one 2x3 float tensor and one Q8_0 row at 64-byte alignment.
GgufBytes validFile() {
    GgufBytes file;
    file.header(2, 4)
        .keyString("general.architecture", "llama")
        .keyU32("general.alignment", 64)
        .keyStrings("tokenizer.ggml.tokens", {"a", "b"})
        .keyF32("llama.rope.freq_base", 10000.0f)
        .tensor("weights", {3, 2}, kF32, 0)
        .tensor("row", {32}, kQ8_0, 64)
        .align(64)
        .floats({1, 2, 3, 4, 5, 6});
    file.align(64);
    std::string block(34, '\1');
    for (char byte : block)
        file.raw(byte);
    return file;
}

QString errorOfBytes(const std::string& bytes) {
    return errorOf([&] { GgufFile(bytes, "m.gguf"); });
}

}  // namespace

class TestGgufFile : public QObject {
    Q_OBJECT
private slots:
    void readsMetadataAndTensors() {
        GgufBytes bytes = validFile();
        GgufFile file(bytes.bytes(), "m.gguf");
        QCOMPARE(file.version(), uint32_t(3));
        QCOMPARE(file.string("general.architecture"), std::string_view("llama"));
        QCOMPARE(file.integer("general.alignment"), int64_t(64));
        QCOMPARE(file.number("llama.rope.freq_base"), 10000.0);
        const gguf::Array* tokens =
            file.findArray("tokenizer.ggml.tokens", gguf::ValueType::String);
        QVERIFY(tokens);
        QCOMPARE(tokens->values.size(), size_t(2));
        QCOMPARE(std::get<std::string_view>(tokens->values[1].data), std::string_view("b"));
        QVERIFY(!file.findInteger("absent"));

        QCOMPARE(file.tensors().size(), size_t(2));
        const gguf::TensorInfo* weights = file.findTensor("weights");
        QVERIFY(weights);
        QCOMPARE(weights->shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(weights->offset % 64, uint64_t(0));
        std::string_view data = file.tensorData(*weights);
        float third;
        std::memcpy(&third, data.data() + 8, 4);
        QCOMPARE(third, 3.0f);
        QCOMPARE(file.findTensor("row")->bytes, uint64_t(34));
        QCOMPARE(file.findTensor("row")->type, gguf::GgmlType::Q8_0);
    }

    void typedReadsNameTheKey() {
        GgufBytes bytes = validFile();
        GgufFile file(bytes.bytes(), "m.gguf");
        QCOMPARE(errorOf([&] { file.integer("general.architecture"); }),
                 QString("m.gguf: key 'general.architecture' must be an integer, not string"));
        QCOMPARE(errorOf([&] { file.string("llama.block_count"); }),
                 QString("m.gguf: key 'llama.block_count' is missing"));
        QCOMPARE(errorOf([&] { file.findArray("tokenizer.ggml.tokens", gguf::ValueType::Int32); }),
                 QString("m.gguf: key 'tokenizer.ggml.tokens' must be an array of int32, not of "
                         "string"));
    }

    void everyTruncationIsAnError() {
        std::string bytes = validFile().bytes();
        for (size_t size = 0; size < bytes.size(); ++size) {
            QString error = errorOfBytes(bytes.substr(0, size));
            QVERIFY2(error.startsWith("m.gguf: "),
                     qPrintable(QString("%1 bytes: '%2'").arg(size).arg(error)));
        }
    }

    void refusesMalformedFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        auto row = [](const char* name, const GgufBytes& file, const char* error) {
            QTest::newRow(name) << QByteArray::fromStdString(file.bytes()) << QString(error);
        };
        row("not gguf", GgufBytes().string("GGML"),
            "m.gguf: not a GGUF file (it does not start with 'GGUF')");
        row("version 1", GgufBytes().header(0, 0, 1),
            "m.gguf: GGUF version 1 (Strata reads versions 2 and 3)");
        row("too many tensors", GgufBytes().header(uint64_t(1) << 40, 0),
            "m.gguf: the tensor count says 1099511627776 items, more than the 8 bytes left can "
            "hold");
        row("too many strings",
            GgufBytes()
                .header(0, 1)
                .string("k")
                .raw(uint32_t(9))
                .raw(uint32_t(8))
                .raw(uint64_t(1) << 50),
            "m.gguf: k says 1125899906842624 items, more than the 0 bytes left can hold");
        row("string past the end",
            GgufBytes().header(0, 1).string("k").raw(uint32_t(8)).raw(uint64_t(100)),
            "m.gguf: truncated at byte 45 reading k (the file has 45 bytes)");
        row("unknown value type", GgufBytes().header(0, 1).string("k").raw(uint32_t(13)),
            "m.gguf: key 'k' has unknown value type 13");
        row("duplicate key", GgufBytes().header(0, 2).keyU32("k", 1).keyU32("k", 2),
            "m.gguf: key 'k' appears twice");
        row("bad bool", GgufBytes().header(0, 1).string("k").raw(uint32_t(7)).raw(uint8_t(2)),
            "m.gguf: key 'k' is a bool of value 2");
        row("bad alignment", GgufBytes().header(0, 1).keyU32("general.alignment", 48),
            "m.gguf: key 'general.alignment' is 48, not a power of two");
        row("unknown tensor type",
            GgufBytes().header(1, 0).tensor("blk.0.attn_q.weight", {256, 4}, kIq2Xxs, 0),
            "m.gguf: tensor 'blk.0.attn_q.weight' has type IQ2_XXS, which Strata cannot read (it "
            "reads F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K and Q6_K)");
        row("five dimensions", GgufBytes().header(1, 0).tensor("t", {1, 1, 1, 1, 1}, kF32, 0),
            "m.gguf: tensor 't' has 5 dimensions (1 to 4 are valid)");
        row("empty dimension", GgufBytes().header(1, 0).tensor("t", {4, 0}, kF32, 0),
            "m.gguf: tensor 't' has dimension 1 of size 0");
        row("overflowing shape",
            GgufBytes().header(1, 0).tensor("t", {uint64_t(1) << 40, uint64_t(1) << 40}, kF32, 0),
            "m.gguf: tensor 't' has dimension 1 of size 1099511627776");
        row("partial block", GgufBytes().header(1, 0).tensor("t", {16, 2}, kQ8_0, 0),
            "m.gguf: tensor 't' has rows of 16 values, not whole Q8_0 blocks of 32");
        row("unaligned offset", GgufBytes().header(1, 0).tensor("t", {4}, kF32, 8),
            "m.gguf: tensor 't' starts at offset 8, not a multiple of the alignment 32");
        row("duplicate tensor",
            GgufBytes().header(2, 0).tensor("t", {4}, kF32, 0).tensor("t", {4}, kF32, 32),
            "m.gguf: tensor 't' appears twice");
        row("past the end",
            GgufBytes().header(1, 0).tensor("t", {8}, kF32, 0).align().floats({1, 2, 3}),
            "m.gguf: tensor 't' (32 bytes at offset 0) runs past the end of the file");
        row("offset outside",
            GgufBytes().header(1, 0).tensor("t", {1}, kF32, uint64_t(1) << 62).align(),
            "m.gguf: tensor 't' (4 bytes at offset 4611686018427387904) runs past the end of the "
            "file");
        row("overlap",
            GgufBytes()
                .header(2, 0)
                .tensor("a", {16}, kF32, 0)
                .tensor("b", {8}, kF32, 32)
                .align()
                .floats(std::vector<float>(24)),
            "m.gguf: tensors 'a' and 'b' overlap");
    }
    void refusesMalformedFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QCOMPARE(errorOfBytes(bytes.toStdString()), error);
    }

    void namesAMissingFile() {
        QVERIFY(errorOf([] {
                    GgufFile(std::filesystem::path("/nonexistent/m.gguf"));
                }).startsWith("/nonexistent/m.gguf"));
    }
};

QTEST_GUILESS_MAIN(TestGgufFile)
#include "tst_gguf_file.moc"
