#include "widgets/config_form.h"

#include "core/common/human_units.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

#include <charconv>
#include <functional>

namespace strata::widgets {

namespace {

// A key named *_bytes holds a size, which the form shows and takes in units ("64 MiB").
bool holdsBytes(const common::ConfigField& field) {
    return field.kind == common::ConfigValueKind::Integer && field.key.ends_with("_bytes");
}

}  // namespace

ConfigForm::ConfigForm(std::vector<common::ConfigTable> schema, QWidget* parent)
    : QWidget(parent), m_schema(std::move(schema)) {
    auto* content = new QWidget;
    auto* groups = new QVBoxLayout(content);
    std::vector<std::function<void()>> groupSwitches;
    for (const common::ConfigTable& table : m_schema) {
        auto* group = new QGroupBox(QString::fromStdString(table.name));
        auto* rows = new QFormLayout(group);
        if (!table.comment.empty()) {
            auto* about = new QLabel(QString::fromStdString(table.comment));
            about->setWordWrap(true);
            about->setForegroundRole(QPalette::PlaceholderText);
            rows->addRow(about);
        }
        QCheckBox* enabled = nullptr;
        QList<QWidget*> others;
        for (const common::ConfigField& field : table.fields) {
            QString key = QString::fromStdString(field.key);
            QString name = key.mid(table.name.empty() ? 0 : int(table.name.size()) + 1);
            QWidget* editor;
            if (field.kind == common::ConfigValueKind::Bool) {
                auto* box = new QCheckBox;
                connect(box, &QCheckBox::toggled, this, &ConfigForm::changed);
                if (name == "enabled") enabled = box;
                editor = box;
            } else {
                auto* line = new QLineEdit;
                connect(line, &QLineEdit::textEdited, this, &ConfigForm::changed);
                editor = line;
            }
            editor->setObjectName(key);
            editor->setToolTip(QString::fromStdString(field.comment));
            if (holdsBytes(field)) {
                m_byteKeys.insert(key);
                editor->setToolTip(editor->toolTip() + "\n" +
                                   tr("A size: 64 MiB, 512 KiB, 1.5 GiB or a number of bytes."));
            }
            auto* label = new QLabel(name);
            label->setToolTip(editor->toolTip());
            rows->addRow(label, editor);
            m_editors.insert(key, editor);
            if (editor != enabled) others << label << editor;
        }
        if (enabled) {
            auto follow = [enabled, others] {
                for (QWidget* widget : others)
                    widget->setEnabled(enabled->isChecked());
            };
            connect(enabled, &QCheckBox::toggled, group, follow);
            groupSwitches.push_back(follow);
        }
        groups->addWidget(group);
    }
    groups->addStretch();
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    setValues(common::defaultValues(m_schema));
    for (const auto& follow : groupSwitches)
        follow();
}

void ConfigForm::setValues(const common::ConfigValues& values) {
    for (const auto& [key, value] : values) {
        QWidget* editor = m_editors.value(QString::fromStdString(key));
        if (auto* box = qobject_cast<QCheckBox*>(editor))
            box->setChecked(value == "true");
        else if (auto* line = qobject_cast<QLineEdit*>(editor))
            line->setText(QString::fromStdString(shown(key, value)));
    }
}

common::ConfigValues ConfigForm::values() const {
    common::ConfigValues values;
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        std::string key = it.key().toStdString();
        if (auto* box = qobject_cast<QCheckBox*>(it.value()))
            values[key] = box->isChecked() ? "true" : "false";
        else
            values[key] = stored(key, qobject_cast<QLineEdit*>(it.value())->text().toStdString());
    }
    return values;
}

std::string ConfigForm::shown(const std::string& key, const std::string& value) const {
    uint64_t bytes = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), bytes);
    if (!m_byteKeys.contains(QString::fromStdString(key)) || error != std::errc() ||
        end != value.data() + value.size())
        return value;
    return common::exactBytes(bytes);
}

std::string ConfigForm::stored(const std::string& key, const std::string& text) const {
    if (!m_byteKeys.contains(QString::fromStdString(key))) return text;
    // Text that is no size is kept as typed, for the config's validation to name.
    std::optional<uint64_t> bytes = common::parseBytes(text);
    return bytes ? std::to_string(*bytes) : text;
}

}  // namespace strata::widgets
