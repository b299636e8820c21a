// ggml's encodings (gguf_quants.h) against the gguf Python package, value for value: random
// blocks of every type Strata reads (gguf_reference.py) decode to exactly the package's floats,
// and the types Strata writes encode random values (with an all-zero block and a value past f16's
// range) to exactly the package's bytes. Skipped, saying why, without the pytools python.
#include "core/gguf/gguf_quants.h"
#include "tests/error_of.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <vector>

using namespace strata;
using gguf::GgmlType;

namespace {

std::vector<uint8_t> readBytes(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<float> readFloats(const QString& path) {
    std::vector<uint8_t> bytes = readBytes(path);
    std::vector<float> values(bytes.size() / 4);
    std::memcpy(values.data(), bytes.data(), values.size() * 4);
    return values;
}

// Equal bit for bit (NaN included).
bool sameBits(float a, float b) {
    return std::memcmp(&a, &b, 4) == 0;
}

}  // namespace

class TestGgufQuants : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString file(const QString& name) const { return m_dir.path() + "/" + name; }

private slots:
    void initTestCase() {
        if (QString(STRATA_PYTOOLS_PYTHON).isEmpty())
            QSKIP("no pytools python configured (STRATA_PYTOOLS_PYTHON)");
        QProcess python;
        python.start(STRATA_PYTOOLS_PYTHON, {GGUF_REFERENCE_SCRIPT, "quants", m_dir.path()});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    void decodesAsTheGgufPackage_data() {
        QTest::addColumn<int>("type");
        for (GgmlType type :
             {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1,
              GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K})
            QTest::newRow(gguf::ggmlTypeTraits(type).name) << int(type);
    }
    void decodesAsTheGgufPackage() {
        QFETCH(int, type);
        const char* name = gguf::ggmlTypeTraits(GgmlType(type)).name;
        std::vector<uint8_t> blocks = readBytes(file(QString(name) + ".bin"));
        std::vector<float> expected = readFloats(file(QString(name) + ".f32"));
        QVERIFY(!expected.empty());
        QCOMPARE(uint64_t(blocks.size()), gguf::ggmlTypeBytes(GgmlType(type), expected.size()));
        std::vector<float> decoded(expected.size());
        gguf::dequantize(GgmlType(type), blocks.data(), decoded);
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(sameBits(decoded[i], expected[i]),
                     qPrintable(QString("value %1: %2, the package gives %3")
                                    .arg(i)
                                    .arg(decoded[i])
                                    .arg(expected[i])));
    }

    void encodesAsTheGgufPackage_data() {
        QTest::addColumn<int>("type");
        for (GgmlType type : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0})
            QTest::newRow(gguf::ggmlTypeTraits(type).name) << int(type);
    }
    void encodesAsTheGgufPackage() {
        QFETCH(int, type);
        const char* name = gguf::ggmlTypeTraits(GgmlType(type)).name;
        std::vector<float> values = readFloats(file("values.f32"));
        std::vector<uint8_t> expected = readBytes(file(QString(name) + ".encoded"));
        std::vector<uint8_t> encoded(gguf::ggmlTypeBytes(GgmlType(type), values.size()));
        QCOMPARE(encoded.size(), expected.size());
        gguf::quantize(GgmlType(type), values, encoded.data());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(encoded[i] == expected[i],
                     qPrintable(QString("byte %1: %2, the package writes %3")
                                    .arg(i)
                                    .arg(encoded[i])
                                    .arg(expected[i])));
    }

    void refusesPartialBlocksAndTypesItDoesNotWrite() {
        std::vector<float> values(31);
        std::vector<uint8_t> bytes(256);
        QCOMPARE(errorOf([&] { gguf::dequantize(GgmlType::Q8_0, bytes.data(), values); }),
                 QString("31 values are not whole Q8_0 blocks"));
        std::vector<float> block(256);
        QVERIFY(errorOf([&] {
                    gguf::quantize(GgmlType::Q4_K, block, bytes.data());
                }).contains("does not write Q4_K"));
    }
};

QTEST_GUILESS_MAIN(TestGgufQuants)
#include "tst_gguf_quants.moc"
