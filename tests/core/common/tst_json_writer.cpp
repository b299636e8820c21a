// JsonWriter and appendJsonString: valid JSON whatever bytes come in.
#include "core/common/json_writer.h"
#include "core/common/utf8.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <random>

using strata::common::appendJsonString;
using strata::common::JsonWriter;

class TestJsonWriter : public QObject {
    Q_OBJECT

private slots:
    void escapesControlAndQuotes() {
        std::string out;
        appendJsonString(out, "a\"b\\c\n\t\x01\x7f");
        QCOMPARE(out, std::string("\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\""));
    }

    void invalidUtf8BecomesReplacementCharacter() {
        std::string out;
        appendJsonString(out, "ok\xff\xc3(");
        QCOMPARE(out, std::string("\"ok\xEF\xBF\xBD\xEF\xBF\xBD(\""));
    }

    void keepsValidMultibyteText() {
        std::string out;
        appendJsonString(out, "日本語 🎉");
        QCOMPARE(out, std::string("\"日本語 🎉\""));
    }

    void matchesPlainEscapingOnRandomBytes() {
        // The word-at-a-time fast path must agree with escaping one byte at a time.
        auto reference = [](std::string_view text) {
            std::string out = "\"";
            size_t i = 0;
            while (i < text.size()) {
                unsigned char c = static_cast<unsigned char>(text[i]);
                size_t length = strata::common::utf8SequenceLength(text, i);
                if (c >= 0x80) {
                    out +=
                        length ? std::string(text.substr(i, length)) : std::string("\xEF\xBF\xBD");
                    i += length ? length : 1;
                    continue;
                }
                if (c == '"')
                    out += "\\\"";
                else if (c == '\\')
                    out += "\\\\";
                else if (c == '\n')
                    out += "\\n";
                else if (c == '\r')
                    out += "\\r";
                else if (c == '\t')
                    out += "\\t";
                else if (c < 0x20 || c == 0x7f)
                    out += QString::asprintf("\\u%04x", c).toStdString();
                else
                    out.push_back(char(c));
                ++i;
            }
            return out + "\"";
        };
        std::mt19937 random(7);
        // Mostly plain text, so that 8-byte runs occur with one special byte at any position.
        const std::string plain = "abcXYZ 09~!{}";
        const std::string special = std::string("\"\\\n\t\x01\x1f\x7f\x80\xff") + "日本🎉é";
        for (int round = 0; round < 5000; ++round) {
            std::string text;
            size_t length = random() % 64;
            for (size_t k = 0; k < length; ++k) {
                const std::string& pool = random() % 10 ? plain : special;
                text.push_back(pool[random() % pool.size()]);
            }
            std::string out;
            appendJsonString(out, text);
            QCOMPARE(out, reference(text));
        }
    }

    void objectParsesBack() {
        JsonWriter json;
        json.beginObject().key("n").value(int64_t(-3)).key("x").value(0.5).key("s").value("t");
        json.key("list").beginArray().value(uint64_t(1)).value(true).endArray();
        json.key("nan").value(std::nan("")).endObject();
        QJsonParseError error;
        QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json.str()), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object()["n"].toInt(), -3);
        QCOMPARE(doc.object()["x"].toDouble(), 0.5);
        QCOMPARE(doc.object()["list"].toArray().size(), 2);
        QVERIFY(doc.object()["nan"].isNull());
    }
};

QTEST_APPLESS_MAIN(TestJsonWriter)
#include "tst_json_writer.moc"
