// A settings form built from a config's schema (core/common/config_schema.h): one group per
// table with the table's comment on top, one row per key with the key's comment as its tooltip;
// a check box for booleans and a line edit for everything else, so any text can be typed and
// the config's own validation names what is wrong. A table's `enabled` box greys out the rest
// of its group. A size (a whole-number key named *_bytes) shows and takes units: "64 MiB".
#pragma once

#include "core/common/config_schema.h"

#include <QHash>
#include <QSet>
#include <QWidget>

namespace strata::widgets {

class ConfigForm : public QWidget {
    Q_OBJECT

public:
    explicit ConfigForm(std::vector<common::ConfigTable> schema, QWidget* parent = nullptr);

    const std::vector<common::ConfigTable>& schema() const { return m_schema; }
    // Keys not in `values` keep what the form shows.
    void setValues(const common::ConfigValues& values);
    common::ConfigValues values() const;
    // The editor of a dotted key (a QCheckBox or a QLineEdit named after the key), or null.
    QWidget* editor(const QString& key) const { return m_editors.value(key); }

signals:
    void changed();

private:
    // A value as its editor shows it, and an editor's text as the config holds it.
    std::string shown(const std::string& key, const std::string& value) const;
    std::string stored(const std::string& key, const std::string& text) const;

    std::vector<common::ConfigTable> m_schema;
    QHash<QString, QWidget*> m_editors;
    QSet<QString> m_byteKeys;
};

}  // namespace strata::widgets
