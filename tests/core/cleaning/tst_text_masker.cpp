// maskText: each kind of personal data becomes its placeholder, each toggle works alone, and
// look-alikes (years, decimals, versions) stay.
#include "core/cleaning/text_masker.h"

#include <QtTest>

using namespace strata::cleaning;

namespace {
std::string mask(std::string_view text, MaskOptions options = {}) {
    std::string out;
    maskText(text, options, out);
    return out;
}
}  // namespace

class TestTextMasker : public QObject {
    Q_OBJECT

private slots:
    void masksUrls() {
        QCOMPARE(mask("see https://example.com/a?b=c#d, then"), std::string("see <URL>, then"));
        QCOMPARE(mask("(http://x.org/page)."), std::string("(<URL>)."));
        QCOMPARE(mask("go to www.example.org now"), std::string("go to <URL> now"));
        QCOMPARE(mask("FTP://files.example.com/x.tar"), std::string("<URL>"));
        QCOMPARE(mask("the www. prefix, time: 10:30, mailto:x"),
                 std::string("the www. prefix, time: 10:30, mailto:x"));
    }

    void masksEmails() {
        QCOMPARE(mask("write to jane.doe+tag@mail.example.co.uk."),
                 std::string("write to <EMAIL>."));
        QCOMPARE(mask("a@b, user@host, @handle, x@y.c"),
                 std::string("a@b, user@host, @handle, x@y.c"));
        QCOMPARE(mask("123user@example.com"), std::string("<EMAIL>"));
    }

    void masksPhones() {
        QCOMPARE(mask("call 555-123-4567 today"), std::string("call <PHONE> today"));
        QCOMPARE(mask("call (555) 123-4567"), std::string("call <PHONE>"));
        QCOMPARE(mask("intl +44 20 7946 0958."), std::string("intl <PHONE>."));
        QCOMPARE(mask("dots 555.123.4567"), std::string("dots <PHONE>"));
    }

    void keepsNumbersThatAreNotPhones() {
        for (const char* text :
             {"in 1999 2000 2001", "pi is 3.14159265358", "id 5551234567", "2021-03-04",
              "version 1.2.3", "total 1,234,567,890", "abc555-123-4567"}) {
            QCOMPARE(mask(text), std::string(text));
        }
    }

    void masksIps() {
        QCOMPARE(mask("host 192.168.0.1 up"), std::string("host <IP> up"));
        QCOMPARE(mask("10.0.0.255."), std::string("<IP>."));
        QCOMPARE(mask("bad 256.1.1.1 and 1.2.3 and 1.2.3.4.5"),
                 std::string("bad 256.1.1.1 and 1.2.3 and 1.2.3.4.5"));
    }

    void togglesAreIndependent() {
        std::string text = "mail a@b.com at https://x.io from 10.1.2.3 or 555-123-4567";
        QCOMPARE(mask(text, {true, false, false, false}),
                 std::string("mail a@b.com at <URL> from 10.1.2.3 or 555-123-4567"));
        QCOMPARE(mask(text, {false, true, false, false}),
                 std::string("mail <EMAIL> at https://x.io from 10.1.2.3 or 555-123-4567"));
        QCOMPARE(mask(text, {false, false, true, false}),
                 std::string("mail a@b.com at https://x.io from 10.1.2.3 or <PHONE>"));
        QCOMPARE(mask(text, {false, false, false, true}),
                 std::string("mail a@b.com at https://x.io from <IP> or 555-123-4567"));
        QCOMPARE(mask(text, {false, false, false, false}), text);
        std::string out;
        MaskCounts counts = maskText(text, {}, out);
        QCOMPARE(out, std::string("mail <EMAIL> at <URL> from <IP> or <PHONE>"));
        QCOMPARE(counts.urls + counts.emails + counts.phones + counts.ips, uint64_t(4));
    }
};

QTEST_APPLESS_MAIN(TestTextMasker)
#include "tst_text_masker.moc"
