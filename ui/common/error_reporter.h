// How the studio's slots, timers and signal handlers meet an error from the run history, a file
// or a child process. Qt cannot carry an exception out of them (one that leaves a slot the event
// loop called aborts the studio), so a page runs that work through its ErrorReporter: an error
// ends the work there, its message goes where the page shows messages and into the studio log,
// and the window goes on. A message is logged once while it repeats (a timer re-reading a broken
// history would otherwise fill the log) and again once some work has gone through in between
// (work run inside other work does not count: the outer work may still fail). Not for form
// validation, which a page shows as the user types without logging it.
#pragma once

#include <QString>

#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace strata::ui {

class ErrorReporter {
public:
    using Show = std::function<void(const QString& message)>;
    // `show` puts a message on the page (its message line, status or banner).
    explicit ErrorReporter(Show show);

    // Runs `work`; true when it finished, false when it threw and the error was reported.
    // `shownAs` says what failed, its %1 standing for the error's own message ("Cannot read the
    // run history: %1").
    template <typename Work>
    bool run(Work&& work, const QString& shownAs = QStringLiteral("%1")) noexcept {
        const int reportedBefore = m_numReported;
        std::optional<QString> failure;
        ++m_depth;
        try {
            std::forward<Work>(work)();
        } catch (const std::exception& error) {
            failure = QString::fromUtf8(error.what());
        } catch (...) {
            failure = unknownErrorText();
        }
        --m_depth;
        if (failure) {
            report(shownAs.arg(*failure));
            return false;
        }
        if (m_depth == 0 && m_numReported == reportedBefore) m_lastLogged.clear();
        return true;
    }

    // Shows `message` and logs it as an error, unless it is the message logged last.
    void report(const QString& message);

private:
    static QString unknownErrorText();

    Show m_show;
    QString m_lastLogged;
    int m_numReported = 0;
    int m_depth = 0;  // runs under way, the outermost first
};

}  // namespace strata::ui
