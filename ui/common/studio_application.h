// The studio's application object, with its last resort against errors. Each page runs what can
// fail (the run history, files, child processes) through an ErrorReporter; an exception that
// escapes a handler anyway would otherwise leave Qt's event loop and abort the studio, so notify()
// stops it there and hands its message to errorEscaped() (main() shows it in the window's banner
// and log) and the window goes on. What escapes even that (a thread's exception, a noexcept
// function that threw) ends the studio through std::terminate, whose handler here writes what it
// was to the studio log first.
#pragma once

#include <QApplication>

namespace strata::ui {

class StudioApplication : public QApplication {
    Q_OBJECT

public:
    StudioApplication(int& argc, char** argv);

    bool notify(QObject* receiver, QEvent* event) override;

signals:
    // An exception escaped the handler of an event or a signal; `message` says what it was.
    void errorEscaped(const QString& message);
};

}  // namespace strata::ui
