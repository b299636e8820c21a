// safetensors: round trips of every stored dtype, the byte layout, and a one-line error naming
// the file for each way a header can lie.
#include "core/common/error.h"
#include "core/model/safetensors.h"

#include <torch/torch.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata::model;
namespace fs = std::filesystem;

namespace {

// A file with the given JSON header (padded to 8 bytes) and `dataBytes` zero bytes of data.
void writeRaw(const fs::path& path, std::string header, size_t dataBytes) {
    header.append((8 - header.size() % 8) % 8, ' ');
    uint64_t length = header.size();
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(&length), 8);
    out << header << std::string(dataBytes, '\0');
}

std::string loadError(const fs::path& path) {
    try {
        loadSafetensors(path);
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

private slots:
    void roundTripsEveryDtype() {
        torch::manual_seed(0);
        NamedTensors tensors = {
            {"f32", torch::randn({3, 4})},
            {"bf16", torch::randn({5}).to(torch::kBFloat16)},
            {"f16", torch::randn({2, 2}).to(torch::kFloat16)},
            {"i64", torch::arange(7)},
            {"bool", torch::rand({6}) > 0.5},
            {"scalar", torch::tensor(2.5)},
            {"empty", torch::zeros({0, 3})},
            {"strided", torch::randn({4, 6}).t()},  // written contiguous
        };
        saveSafetensors(path("t.safetensors"), tensors, {{"format", "pt"}, {"step", "12"}});
        SafetensorsContent loaded = loadSafetensors(path("t.safetensors"));
        QCOMPARE(loaded.tensors.size(), tensors.size());
        for (const auto& [name, tensor] : tensors) {
            const torch::Tensor& back = loaded.tensors.at(name);
            QCOMPARE(back.scalar_type(), tensor.scalar_type());
            QVERIFY2(torch::equal(back, tensor), name.c_str());
        }
        QCOMPARE(loaded.metadata.at("step"), std::string("12"));
    }

    void layoutIsTheStandardOne() {
        saveSafetensors(path("l.safetensors"), {{"w", torch::ones({2, 3})}}, {{"format", "pt"}});
        std::ifstream in(path("l.safetensors"), std::ios::binary);
        uint64_t length = 0;
        in.read(reinterpret_cast<char*>(&length), 8);
        QCOMPARE(length % 8, uint64_t(0));
        std::string header(length, '\0');
        in.read(header.data(), std::streamsize(length));
        QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(header)).object();
        QCOMPARE(json["w"].toObject()["dtype"].toString(), QString("F32"));
        QCOMPARE(json["w"].toObject()["data_offsets"].toArray().at(1).toInt(), 24);
        QCOMPARE(json["__metadata__"].toObject()["format"].toString(), QString("pt"));
        QCOMPARE(fs::file_size(path("l.safetensors")), 8 + length + 24);
    }

    void corruptHeadersAreRejected_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<int>("dataBytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << "{\"w\": " << 0 << "is not a JSON object";
        QTest::newRow("unknown dtype")
            << R"({"w": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}})" << 16
            << "unknown dtype 'F128'";
        QTest::newRow("size mismatch")
            << R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})" << 8
            << "spans 8 bytes, its dtype and shape need 12";
        QTest::newRow("outside the data")
            << R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})" << 8
            << "data_offsets outside the 8 bytes of data";
        QTest::newRow("overlap") << R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                        "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})"
                                 << 12 << "overlaps";
        QTest::newRow("gap") << R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})"
                             << 8 << "leaves a gap";
        QTest::newRow("trailing data")
            << R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})" << 12
            << "8 bytes of data after the last tensor";
        QTest::newRow("missing field") << R"({"a": {"dtype": "F32", "shape": [1]}})" << 4
                                       << "needs dtype, shape and data_offsets";
        QTest::newRow("negative size")
            << R"({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})" << 4
            << "tensor 'a' has a shape entry that is not a size";
        QTest::newRow("overflowing shape")
            << R"({"a": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}})"
            << 4 << "tensor 'a' has a shape whose size overflows";
        // No elements, but strides of 2^124: nothing a tensor can hold.
        QTest::newRow("empty with overflowing strides")
            << R"({"a": {"dtype": "F32", "shape": [0, 4611686018427387904, 4611686018427387904], "data_offsets": [0, 0]}})"
            << 0 << "tensor 'a' has a shape whose size overflows";
        QTest::newRow("duplicate name")
            << R"({"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
                                               "a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}})"
            << 2 << "appears twice";
        QTest::newRow("metadata not strings")
            << R"({"__metadata__": {"step": 12}})" << 0 << "is not a string";
    }
    void corruptHeadersAreRejected() {
        QFETCH(QString, header);
        QFETCH(int, dataBytes);
        QFETCH(QString, reason);
        writeRaw(path("bad.safetensors"), header.toStdString(), size_t(dataBytes));
        std::string message = loadError(path("bad.safetensors"));
        QVERIFY2(message.rfind(path("bad.safetensors").string() + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(reason.toStdString()) != std::string::npos, message.c_str());
        QVERIFY(message.find('\n') == std::string::npos);
    }

    void truncatedFilesAreRejected() {
        std::ofstream(path("short.safetensors"), std::ios::binary) << "abc";
        QVERIFY(
            loadError(path("short.safetensors")).find("shorter than its 8-byte header length") !=
            std::string::npos);
        writeRaw(path("long.safetensors"), "{}", 0);
        fs::resize_file(path("long.safetensors"), 8);  // the header length now points past the end
        QVERIFY(loadError(path("long.safetensors")).find("does not fit") != std::string::npos);
    }

    void duplicateNamesAreRefusedOnSave() {
        QVERIFY_THROWS_EXCEPTION(strata::common::Error,
                                 saveSafetensors(path("dup.safetensors"),
                                                 {{"a", torch::ones(1)}, {"a", torch::ones(1)}}));
        QVERIFY(!fs::exists(path("dup.safetensors")));
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
