// JsonWriter and appendJsonString: valid JSON whatever bytes come in.
#include "core/common/json_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

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
