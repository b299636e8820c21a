// The clean config: the printed default text is commented on every key and parses back to the
// defaults; overrides, unknown keys, wrong types and invalid values fail naming file:line and key.
#include "core/cleaning/clean_config.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"

#include <QFile>
#include <QtTest>

#include <sstream>

using namespace strata::cleaning;
using strata::common::ConfigReader;

namespace {

std::string errorOf(std::string_view toml, std::vector<std::string> overrides = {}) {
    try {
        ConfigReader reader = ConfigReader::fromString(toml, "clean.toml");
        for (const std::string& assignment : overrides)
            reader.applyOverride(assignment);
        readCleanConfig(reader);
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestCleanConfig : public QObject {
    Q_OBJECT

private slots:
    void documentationShowsTheDefaultConfig() {
        QFile doc(STRATA_SOURCE_DIR "/docs/cleaning.md");
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(doc.readAll());
        qsizetype begin = text.indexOf("```toml\n", text.indexOf("<!-- default-config"));
        QVERIFY(begin > 0);
        begin += 8;
        QString shown = text.mid(begin, text.indexOf("```", begin) - begin);
        QVERIFY2(shown == QString::fromStdString(defaultCleanConfigText()),
                 "docs/cleaning.md is out of date: paste `strata-cli clean --print-default-config` "
                 "into it");
    }

    void defaultTextParsesBackToDefaults() {
        ConfigReader reader = ConfigReader::fromString(defaultCleanConfigText(), "default.toml");
        QVERIFY(readCleanConfig(reader) == CleanConfig{});
        ConfigReader empty = ConfigReader::empty("none");
        QVERIFY(readCleanConfig(empty) == CleanConfig{});
    }

    void everyKeyHasAComment() {
        std::istringstream lines(defaultCleanConfigText());
        std::string line, previous;
        int keys = 0;
        bool commented = false;  // a comment since the last blank line or section header
        while (std::getline(lines, line)) {
            if (line.empty() || line.front() == '[') {
                commented = false;
            } else if (line.front() == '#') {
                commented = true;
            } else {
                ++keys;
                QVERIFY2(commented, line.c_str());
            }
        }
        QCOMPARE(keys, 50);
    }

    void defaultsMatchTheIssue() {
        CleanConfig c;
        QCOMPARE(c.words.minWords, int64_t(50));
        QCOMPARE(c.entropy.minBits, 3.5);
        QCOMPARE(c.nearDedup.shingleWords, 5);
        QCOMPARE(c.nearDedup.numHashes, 128);
        QCOMPARE(c.nearDedup.bands, 16);
        QCOMPARE(c.nearDedup.threshold, 0.8);
        QCOMPARE(c.repetition.maxTopNgramCharFraction[0], 0.20);
        QCOMPARE(c.gopherQuality.maxBulletLineFraction, 0.9);
        // Markup inside text documents and terminal escapes are cleaned unless turned off.
        QVERIFY(c.html.enabled && c.html.detect);
        QVERIFY(c.terminalEscapes.enabled);
    }

    void readsValuesAndOverrides() {
        ConfigReader reader = ConfigReader::fromString(
            "[words]\nmin = 10\n[near_dedup]\nenabled = false\n[script]\nallowed = [\"han\", "
            "\"latin\"]\n[html]\ndetect = false\n",
            "clean.toml");
        reader.applyOverride("entropy.min_bits=2.5");
        reader.applyOverride("terminal_escapes.enabled=false");
        reader.applyOverride("words.max=20");
        CleanConfig c = readCleanConfig(reader);
        QCOMPARE(c.words.minWords, int64_t(10));
        QCOMPARE(c.words.maxWords, int64_t(20));
        QCOMPARE(c.entropy.minBits, 2.5);
        QVERIFY(!c.nearDedup.enabled);
        QVERIFY(c.html.enabled && !c.html.detect);
        QVERIFY(!c.terminalEscapes.enabled);
        QCOMPARE(c.script.allowed, (std::vector<std::string>{"han", "latin"}));
    }

    void unknownKeyIsAnError() {
        QString message = QString::fromStdString(errorOf("[words]\nmin = 10\nminn = 3\n"));
        QVERIFY2(message.contains("clean.toml:3") && message.contains("words.minn"),
                 qPrintable(message));
        message = QString::fromStdString(errorOf("", {"near_dedup.treshold=0.5"}));
        QVERIFY2(message.contains("near_dedup.treshold"), qPrintable(message));
    }

    void wrongTypeIsAnError() {
        QString message = QString::fromStdString(errorOf("[words]\n\nmin = \"ten\"\n"));
        QVERIFY2(message.contains("clean.toml:3: key 'words.min'") && message.contains("integer"),
                 qPrintable(message));
        message = QString::fromStdString(errorOf("[mask]\nurls = 1\n"));
        QVERIFY2(message.contains("clean.toml:2: key 'mask.urls'"), qPrintable(message));
    }

    void invalidValuesAreListed() {
        QString message =
            QString::fromStdString(errorOf("[near_dedup]\nnum_hashes = 100\nbands = 16\nthreshold "
                                           "= 1.5\n[script]\nallowed = [\"klingon\"]\n"));
        QVERIFY2(message.contains("clean.toml:3: key 'near_dedup.bands' must be a divisor"),
                 qPrintable(message));
        QVERIFY2(message.contains("near_dedup.threshold"), qPrintable(message));
        QVERIFY2(message.contains("script.allowed"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
        QVERIFY(QString::fromStdString(errorOf("[words]\nmin = 100\nmax = 10\n"))
                    .contains("words.max"));
    }
};

QTEST_APPLESS_MAIN(TestCleanConfig)
#include "tst_clean_config.moc"
