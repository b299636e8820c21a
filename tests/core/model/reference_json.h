// The JSON the Python reference scripts of the model tests write (hf_families.py,
// gguf_families.py): {"ids": [[...], ...], "logprobs": [[null, x, ...], ...]}, read into tensors
// to compare with Strata's.
#pragma once

#include <torch/torch.h>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace strata::test {

inline QJsonObject readJson(const std::filesystem::path& path) {
    QFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline QString readText(const std::filesystem::path& path) {
    QFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
}

// Rows of ids, [[...], ...], as a (rows, time) tensor.
inline torch::Tensor idsOf(const QJsonArray& rows) {
    std::vector<int64_t> values;
    for (const QJsonValue& row : rows)
        for (const QJsonValue& id : row.toArray())
            values.push_back(id.toInteger());
    return torch::tensor(values).view({rows.size(), -1});
}

// The log-probabilities of a JSON [[null, x, ...], ...] without each row's leading null.
inline torch::Tensor logProbsOf(const QJsonArray& rows) {
    std::vector<double> values;
    for (const QJsonValue& row : rows) {
        QJsonArray items = row.toArray();
        for (qsizetype t = 1; t < items.size(); ++t)
            values.push_back(items[t].toDouble());
    }
    return torch::tensor(values, torch::kFloat64).view({rows.size(), -1});
}

// The folders in `folder`, sorted: one a model a reference script built.
inline std::vector<std::filesystem::path> subfolders(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> folders;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.is_directory()) folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    return folders;
}

inline double maxDifference(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

}  // namespace strata::test
