<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Appearance</name>
    <message>
        <location filename="../ui/common/appearance.cpp" line="+48"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow the System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>CheckpointChoices</name>
    <message>
        <location filename="../ui/common/checkpoint_choices.cpp" line="+22"/>
        <source>%1 · step %2</source>
        <translation>%1 · 第 %2 步</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> · val %1</source>
        <translation> · 验证 %1</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>folder %1</source>
        <translation>文件夹 %1</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <location filename="../ui/data/funnel_steps.cpp" line="+16"/>
        <source>read</source>
        <translation>读入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>skipped by the reader</source>
        <translation>读取时跳过</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: %2 removed</source>
        <translation>%1：移除 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>written</source>
        <translation>写出</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../ui/common/error_reporter.cpp" line="+19"/>
        <source>an error of an unknown kind</source>
        <translation>未知类型的错误</translation>
    </message>
</context>
<context>
    <name>PipelineState</name>
    <message>
        <location filename="../ui/home/pipeline_state.cpp" line="+196"/>
        <source>validation loss %1</source>
        <translation>验证损失 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>final loss %1</source>
        <translation>最终损失 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1% accuracy on held-out pairs</source>
        <translation>留出样本对上的准确率 %1%</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1% accuracy</source>
        <translation>准确率 %1%</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the Data Page</source>
        <translation>打开数据页</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Raw text cleaned into a corpus and cut into token shards.</source>
        <translation>原始文本清洗成语料，再切分为词元分片。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sources listed for %1; not cleaned yet.</source>
        <translation>%1 已列出数据源，尚未清洗。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clean a Dataset</source>
        <translation>清洗数据集</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n dataset(s): %1</source>
        <translation>
            <numerusform>%n 个数据集：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tokens in shards</source>
        <translation>分片中共 %1 个词元</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 documents kept</source>
        <translation>保留了 %2 篇文档中的 %1 篇</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the Tokenizer Page</source>
        <translation>打开分词器页</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Byte-level BPE that turns text into the ids a model reads.</source>
        <translation>字节级 BPE，把文本变成模型读取的 id。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train a Tokenizer</source>
        <translation>训练分词器</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n tokenizer(s): %1</source>
        <translation>
            <numerusform>%n 个分词器：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 tokens in its vocabulary</source>
        <translation>词表共 %1 个词元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pretrain or import</source>
        <translation>预训练或导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start Pretraining…</source>
        <translation>开始预训练…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 parameters</source>
        <translation>%1 参数</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>imported: %1</source>
        <translation>已导入：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n pretraining run(s)</source>
        <translation>
            <numerusform>%n 次预训练运行</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A model trained from scratch on the shards, or an open model imported from Hugging Face or GGUF.</source>
        <translation>在分片上从头训练的模型，或从 Hugging Face 或 GGUF 导入的开放模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>SFT</source>
        <translation>SFT</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Start SFT…</source>
        <translation>开始 SFT…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fine-tune…</source>
        <translation>微调…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Supervised fine-tuning on conversations or solved examples.</source>
        <translation>在对话或已解答的示例上进行监督微调。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n SFT run(s)</source>
        <translation>
            <numerusform>%n 次 SFT 运行</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>People choose the better of two answers to one prompt.</source>
        <translation>由人从同一提示的两个回答中选出更好的一个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add Pairs</source>
        <translation>添加样本对</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Label Pairs</source>
        <translation>标注样本对</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n pair(s) in the queue</source>
        <translation>
            <numerusform>队列中有 %n 对样本</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2 pairs labeled</source>
        <translation>已标注 %1 / %2 对</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reward model</source>
        <translation>奖励模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train a Reward Model…</source>
        <translation>训练奖励模型…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Learns to score answers as the labels do, for PPO and GRPO.</source>
        <translation>学会像标注那样为回答打分，供 PPO 和 GRPO 使用。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n reward run(s)</source>
        <translation>
            <numerusform>%n 次奖励模型运行</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>DPO, PPO or GRPO</source>
        <translation>DPO、PPO 或 GRPO</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Start GRPO…</source>
        <translation>开始 GRPO…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Start DPO…</source>
        <translation>开始 DPO…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+34"/>
        <source>%1% held-out exact match</source>
        <translation>留出集精确匹配 %1%</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>mean reward %1</source>
        <translation>平均奖励 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Optimizes the model for what people and rules prefer.</source>
        <translation>按人和规则的偏好优化模型。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n run(s): %1</source>
        <translation>
            <numerusform>%n 次运行：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try It in the Playground</source>
        <translation>在试验场中试用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held-out exact match on tasks, measured by PPO and GRPO runs.</source>
        <translation>任务的留出集精确匹配，由 PPO 和 GRPO 运行测得。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export from the Runs Page</source>
        <translation>从运行记录页导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Hugging Face folder or GGUF file, for other tools and Ollama.</source>
        <translation>Hugging Face 文件夹或 GGUF 文件，供其他工具和 Ollama 使用。</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n checkpoint(s) of the newest run to export</source>
        <translation>
            <numerusform>最新运行有 %n 个检查点可导出</numerusform>
        </translation>
    </message>
    <message>
        <location line="+53"/>
        <source>to do</source>
        <translation>待办</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/runs/run_table_model.cpp" line="+31"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/runs/run_report.cpp" line="+53"/>
        <source>No run has points of %1.</source>
        <translation>没有运行记录 %1 的数据点。</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Run report: %1</source>
        <translation>运行报告：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run report</source>
        <translation>运行报告</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n run(s), written %1 by Strata %2</source>
        <translation>
            <numerusform>%n 个运行，由 Strata %2 于 %1 生成</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last step</source>
        <translation>最后一步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last loss</source>
        <translation>最后损失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(absent)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The configs are the same.</source>
        <translation>两份配置相同。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notes and comments</source>
        <translation>备注与评论</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tags: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lineage</source>
        <translation>血缘</translation>
    </message>
</context>
<context>
    <name>RouterLoad</name>
    <message>
        <location filename="../ui/train/router_load.cpp" line="+36"/>
        <source>steps %1–%2</source>
        <translation>第 %1–%2 步</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>expert %1</source>
        <translation>专家 %1</translation>
    </message>
</context>
<context>
    <name>RunGroups</name>
    <message>
        <location filename="../ui/runs/run_groups.cpp" line="+52"/>
        <source>(absent)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <location filename="../ui/common/run_state_text.cpp" line="+10"/>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>StageCharts</name>
    <message>
        <location filename="../ui/train/stage_charts.cpp" line="+22"/>
        <source>Preference accuracy</source>
        <translation>偏好准确率</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+73"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Reward margin</source>
        <translation>奖励差值</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>total</source>
        <translation>总计</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>FP16 loss scale</source>
        <translation>FP16 损失缩放系数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scale</source>
        <translation>缩放系数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Steps skipped for overflow</source>
        <translation>因溢出跳过的步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>FP8 values out of range</source>
        <translation>FP8 超出范围的数值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overflow</source>
        <translation>上溢</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>underflow</source>
        <translation>下溢</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>FP8 input amax per layer</source>
        <translation>各层 FP8 输入最大绝对值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FP8 gradient amax per layer</source>
        <translation>各层 FP8 梯度最大绝对值</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Validation perplexity</source>
        <translation>验证困惑度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trained tokens per step</source>
        <translation>每步训练的词元数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>assistant tokens</source>
        <translation>助手词元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Implicit rewards</source>
        <translation>隐式奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chosen</source>
        <translation>优选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>劣选</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chosen (validation)</source>
        <translation>优选（验证）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rejected (validation)</source>
        <translation>劣选（验证）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>KL to the reference</source>
        <translation>相对参考模型的 KL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per token</source>
        <translation>每词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>policy step</source>
        <translation>策略更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held-out exact match</source>
        <translation>留出集精确匹配</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>exact match</source>
        <translation>精确匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Policy</source>
        <translation>策略</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>clip fraction</source>
        <translation>裁剪比例</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PPO losses</source>
        <translation>PPO 损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>policy</source>
        <translation>策略</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>value</source>
        <translation>价值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Response length</source>
        <translation>回答长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
</context>
<context>
    <name>StageConfigFile</name>
    <message>
        <location filename="../ui/train/stage_config_file.cpp" line="+41"/>
        <source>%1 is not a plain file name</source>
        <translation>%1 不是单纯的文件名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 already exists; choose another name</source>
        <translation>%1 已存在；请换一个名称</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <location filename="../ui/targets/targets_dialog.cpp" line="+56"/>
        <source>Strata %1, LibTorch %2%3, %4 CPUs, %5; devices: %6</source>
        <translation>Strata %1，LibTorch %2%3，%4 个 CPU，%5；设备：%6</translation>
    </message>
</context>
<context>
    <name>XAxis</name>
    <message>
        <location filename="../ui/charts/step_axis.cpp" line="+16"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wall time (s)</source>
        <translation>实际耗时（秒）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="+24"/>
        <source>Strata: a studio for training language models.</source>
        <translation>Strata：训练语言模型的工作室。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The workspace to open: a folder, or ssh://[user@]host[:port]/path on another host.</source>
        <translation>要打开的工作区：一个文件夹，或另一台主机上的 ssh://[user@]host[:port]/path。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>DIR</source>
        <translation>目录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The interface language (en, zh_CN).</source>
        <translation>界面语言（en、zh_CN）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CODE</source>
        <translation>代码</translation>
    </message>
</context>
<context>
    <name>strata::ui::ChartControls</name>
    <message>
        <location filename="../ui/charts/chart_controls.cpp" line="+17"/>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Smoothing (exponential moving average)</source>
        <translation>平滑（指数移动平均）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>X axis</source>
        <translation>横轴</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
</context>
<context>
    <name>strata::ui::CliJob</name>
    <message>
        <location filename="../ui/common/cli_job.cpp" line="+42"/>
        <source>cannot run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
</context>
<context>
    <name>strata::ui::CliJobDialog</name>
    <message>
        <location filename="../ui/common/cli_job_dialog.cpp" line="+77"/>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
</context>
<context>
    <name>strata::ui::DataPage</name>
    <message>
        <location filename="../ui/data/data_page.cpp" line="+65"/>
        <source>Pre&amp;view</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Clean</source>
        <translation>清洗(&amp;C)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Documents left after each stage</source>
        <translation>每个阶段后剩余的文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Before</source>
        <translation>清洗前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>清洗后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add &amp;files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add f&amp;older…</source>
        <translation>添加文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add sources</source>
        <translation>添加数据源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text (*.txt *.jsonl *.jsonl.zst *.html *.htm)</source>
        <translation>文本 (*.txt *.jsonl *.jsonl.zst *.html *.htm)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add a folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sources</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Load…</source>
        <translation>载入(&amp;L)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clean config</source>
        <translation>清洗配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clean configs (*.toml)</source>
        <translation>清洗配置 (*.toml)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings file</source>
        <translation>设置文件</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+9"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Funnel</source>
        <translation>漏斗</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing cleaned here yet</source>
        <translation>这里还没有清洗过的数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A dataset starts as raw text. Add files or folders under Sources, Preview to see what the cleaning settings keep and remove on sampled documents, then Clean to write the corpus; its funnel shows here.</source>
        <translation>数据集从原始文本开始。在“数据源”下添加文件或文件夹，用“预览”查看清洗设置在抽样文档上保留和移除了什么，再用“清洗”写出语料；其漏斗图会显示在这里。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add Files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Cleaned into %1.</source>
        <translation>已清洗到 %1。</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Loaded %1.</source>
        <translation>已载入 %1。</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+66"/>
        <source>Add a source (a file or a folder) first.</source>
        <translation>请先添加数据源（文件或文件夹）。</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Sampling the sources…</source>
        <translation>正在对数据源抽样…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>removed: %1</source>
        <translation>移除：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Preview: %1 of %2 sampled documents would be removed (dedup is decided over the whole corpus when cleaning).</source>
        <translation>预览：抽样的 %2 篇文档中将移除 %1 篇（去重在清洗时基于整个语料决定）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The dataset needs a name (letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;).</source>
        <translation>数据集需要一个名称（字母、数字、“.”、“_”和“-”）。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cleaning into %1…</source>
        <translation>正在清洗到 %1…</translation>
    </message>
</context>
<context>
    <name>strata::ui::ExportModelDialog</name>
    <message>
        <location filename="../ui/common/export_model_dialog.cpp" line="+20"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export Model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hugging Face folder (transformers)</source>
        <translation>Hugging Face 文件夹（transformers）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF file (llama.cpp, Ollama)</source>
        <translation>GGUF 文件（llama.cpp、Ollama）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>f16: half precision</source>
        <translation>f16：半精度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bf16: bfloat16</source>
        <translation>bf16：bfloat16</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>q8_0: 8-bit, about half the size of f16</source>
        <translation>q8_0：8 位，大小约为 f16 的一半</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>GGUF File</source>
        <translation>GGUF 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF files (*.gguf)</source>
        <translation>GGUF 文件 (*.gguf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face Folder</source>
        <translation>Hugging Face 文件夹</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write to</source>
        <translation>写入到</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Choose where to write the export.</source>
        <translation>请选择导出写入的位置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A GGUF file&apos;s name ends in .gguf</source>
        <translation>GGUF 文件名须以 .gguf 结尾</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Wrote %1, and its Modelfile beside it: %2 (ollama create NAME -f Modelfile)</source>
        <translation>已写入 %1，旁边的 Modelfile：%2（ollama create NAME -f Modelfile）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrote the Hugging Face folder %1</source>
        <translation>已写入 Hugging Face 文件夹 %1</translation>
    </message>
</context>
<context>
    <name>strata::ui::FineTuneDialog</name>
    <message>
        <location filename="../ui/train/fine_tune_dialog.cpp" line="+80"/>
        <source>Fine-tune a Model</source>
        <translation>微调模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>init.model: an imported model of this workspace (models/)</source>
        <translation>init.model：本工作区中导入的模型（models/）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SFT: learn from examples</source>
        <translation>SFT：从示例中学习</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DPO: learn from preferences</source>
        <translation>DPO：从偏好中学习</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GRPO: learn from rewarded tries at tasks</source>
        <translation>GRPO：从任务尝试的奖励中学习</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward model: learn to score answers</source>
        <translation>奖励模型：学习为回答打分</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>data.train: what the stage learns from</source>
        <translation>data.train：该阶段学习所用的数据</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LoRA adapters</source>
        <translation>LoRA 适配器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full fine-tuning (every weight)</source>
        <translation>全量微调（所有权重）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The adapters&apos; rank; their alpha is twice the rank</source>
        <translation>适配器的秩；alpha 为秩的两倍</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model Folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training Data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines 文件 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learns from</source>
        <translation>学习数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training</source>
        <translation>训练方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Save and Open</source>
        <translation>保存并打开(&amp;S)</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>the labeling queue&apos;s preferences (a snapshot is taken)</source>
        <translation>标注队列中的偏好（保存时生成快照）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>This stage&apos;s trainer trains every weight; it has no LoRA</source>
        <translation>该阶段的训练器训练所有权重，不支持 LoRA</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No model to fine-tune: import one first (File ▸ Import Model…), or choose a model folder.</source>
        <translation>没有可微调的模型：请先导入一个（文件 ▸ 导入模型…），或选择一个模型文件夹。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No task set: run the fine-tune sample (it writes datasets/sample-tasks/), or browse to a tasks JSONL file.</source>
        <translation>没有任务集：请运行微调示例（它会写入 datasets/sample-tasks/），或浏览选择一个任务 JSONL 文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose what the stage learns from.</source>
        <translation>请选择该阶段的学习数据。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No pair has an A or B label yet: label pairs on the Labeling page first.</source>
        <translation>还没有任何样本对被标为 A 或 B：请先在标注页标注样本对。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>strata::ui::HomePage</name>
    <message>
        <location filename="../ui/home/home_page.cpp" line="+69"/>
        <source>Pretrain from Scratch</source>
        <translation>从头预训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fine-tune the Real Model</source>
        <translation>微调真实模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pipeline</source>
        <translation>流水线</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Each stage shows what this workspace has for it and what to do next; the outlined stage comes next.</source>
        <translation>每个阶段显示此工作区已有的内容和下一步要做的事；带边框的阶段是下一步。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Sample pipelines</source>
        <translation>示例流水线</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cleans the sample corpus, trains its tokenizer, shards it and pretrains a tiny model on this machine, each stage on its page.</source>
        <translation>清洗示例语料、训练其分词器、切分分片，并在本机预训练一个小模型，每个阶段都在其页面上进行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Measures the real model imported into models/ on held-out sample tasks, fine-tunes it with LoRA SFT and then GRPO, and measures it again after each stage.</source>
        <translation>在留出的示例任务上测量导入到 models/ 的真实模型，先用 LoRA SFT 再用 GRPO 微调它，并在每个阶段后再次测量。</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>Cannot read the workspace: %1</source>
        <translation>无法读取工作区：%1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Show this run on the Train page</source>
        <translation>在训练页上显示此运行</translation>
    </message>
</context>
<context>
    <name>strata::ui::ImportModelDialog</name>
    <message>
        <location filename="../ui/model/import_model_dialog.cpp" line="+20"/>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import Model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a Hugging Face model folder (config.json, safetensors, tokenizer.json) or a .gguf file</source>
        <translation>Hugging Face 模型文件夹（config.json、safetensors、tokenizer.json）或 .gguf 文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The folder under models/ in this workspace; an earlier import of the same name is replaced</source>
        <translation>本工作区 models/ 下的文件夹；同名的先前导入会被替换</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Folder…</source>
        <translation>文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;GGUF File…</source>
        <translation>GGUF 文件(&amp;G)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hugging Face Model Folder</source>
        <translation>Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>GGUF File</source>
        <translation>GGUF 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF files (*.gguf);;All files (*)</source>
        <translation>GGUF 文件 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name in models/</source>
        <translation>models/ 中的名称</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Choose a Hugging Face model folder or a GGUF file to import.</source>
        <translation>请选择要导入的 Hugging Face 模型文件夹或 GGUF 文件。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: no such folder or file</source>
        <translation>%1：没有这个文件夹或文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is neither a model folder nor a .gguf file</source>
        <translation>%1 既不是模型文件夹，也不是 .gguf 文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; cannot name a folder: use letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;</source>
        <translation>“%1”不能用作文件夹名：请使用字母、数字、“.”、“_”和“-”</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Importing %1 into models/%2…</source>
        <translation>正在把 %1 导入到 models/%2…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Imported into %1</source>
        <translation>已导入到 %1</translation>
    </message>
</context>
<context>
    <name>strata::ui::LabelingPage</name>
    <message>
        <location filename="../ui/labeling/labeling_page.cpp" line="+72"/>
        <source>your name</source>
        <translation>你的名字</translation>
    </message>
    <message>
        <location line="+196"/>
        <source>How many annotators label each pair (2 or more measures agreement)</source>
        <translation>每对样本由几位标注员标注（2 位及以上可衡量一致性）</translation>
    </message>
    <message>
        <location line="-160"/>
        <source>Which pairs come first: as they were added, or those a reward model is least sure about (the smallest reward margin), where a label changes it most</source>
        <translation>先标注哪些对：按加入顺序，或奖励模型最没把握的（奖励差值最小），这些标注对模型的改变最大</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Edit Guidelines…</source>
        <translation>编辑标注指南…</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+119"/>
        <source>Guidelines</source>
        <translation>标注指南</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>What annotators read beside each pair (Markdown):</source>
        <translation>标注者在每个样本对旁看到的内容（Markdown）：</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+122"/>
        <source>Import JSONL…</source>
        <translation>导入 JSONL…</translation>
    </message>
    <message>
        <location line="-121"/>
        <source>Export preferences…</source>
        <translation>导出偏好…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import preference pairs</source>
        <translation>导入偏好对</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export preferences</source>
        <translation>导出偏好</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annotator</source>
        <translation>标注员</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Labels per pair</source>
        <translation>每对标注次数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Team…</source>
        <translation>团队…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each annotator&apos;s progress and pace, how well every two agree, and the disagreements the queue&apos;s owner decides</source>
        <translation>每位标注者的进度与速度、两两之间的一致性，以及由队列所有者裁定的分歧</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+90"/>
        <source>Generate Pairs…</source>
        <translation>生成样本对…</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>Answer a prompt set with two checkpoints and queue the answers as pairs</source>
        <translation>用两个检查点回答一组提示，并把回答作为样本对加入队列</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Train Reward Model…</source>
        <translation>训练奖励模型…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Snapshot the labels so far and set up a reward model run on them</source>
        <translation>为目前的标注保存快照，并据此设置一次奖励模型运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Score Pairs…</source>
        <translation>为样本对打分…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Have a reward model score the pairs nobody has labeled, to label the ones it is least sure about first</source>
        <translation>让奖励模型为尚无人标注的样本对打分，以便先标注它最没把握的</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Made on %1: in a studio opened there, or with strata-cli labels export and runs start there</source>
        <translation>在 %1 上进行：在那里打开的工作室中，或在那里使用 strata-cli labels export 和 runs start</translation>
    </message>
    <message>
        <location line="+243"/>
        <source>No checkpoint to score with: train a reward model first.</source>
        <translation>没有可用于评分的检查点：请先训练一个奖励模型。</translation>
    </message>
    <message>
        <location line="-233"/>
        <source>rationale (optional)</source>
        <translation>理由（可选）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A better (1)</source>
        <translation>A 更好 (1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B better (2)</source>
        <translation>B 更好 (2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tie (3)</source>
        <translation>平局 (3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip (S)</source>
        <translation>跳过 (S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo (U)</source>
        <translation>撤销 (U)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No pairs to label yet</source>
        <translation>还没有待标注的样本对</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotators choose the better of two answers to one prompt here, and their choices train a reward model or DPO. Generate pairs with two checkpoints, or import pairs from a JSONL file.</source>
        <translation>标注员在这里从同一提示的两个回答中选出更好的一个，他们的选择用于训练奖励模型或 DPO。可以用两个检查点生成样本对，或从 JSONL 文件导入样本对。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The queue&apos;s owner, %1, sets this</source>
        <translation>由队列所有者 %1 设置</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No guidelines yet. The queue&apos;s owner writes them here.</source>
        <translation>还没有标注指南。队列所有者在这里撰写。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Enter your name to start labeling.</source>
        <translation>输入你的名字即可开始标注。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No pairs left to label. Import pairs (JSONL) to add more.</source>
        <translation>没有待标注的样本对了。导入样本对（JSONL）以添加更多。</translation>
    </message>
    <message numerus="yes">
        <location line="+37"/>
        <source>Imported %n pair(s) from %1.</source>
        <translation>
            <numerusform>已从 %1 导入 %n 对样本。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>as added</source>
        <translation>按加入顺序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>least sure first: %1</source>
        <translation>最没把握的优先：%1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Score Pairs</source>
        <translation>为样本对打分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A reward run&apos;s checkpoint:</source>
        <translation>奖励模型训练的检查点：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scoring the unlabeled pairs with %1…</source>
        <translation>正在用 %1 为未标注的样本对打分…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scoring the unlabeled pairs: %1%</source>
        <translation>正在为未标注的样本对打分：%1%</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Generated %n pair(s).</source>
        <translation>
            <numerusform>已生成 %n 对样本。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Exported %n preference(s) to %1.</source>
        <translation>
            <numerusform>已向 %1 导出 %n 条偏好。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A snapshot goes into the workspace&apos;s folders: export the preferences instead, or train on the workspace&apos;s host.</source>
        <translation>快照要写入工作区的文件夹：请改为导出偏好，或在工作区所在主机上训练。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No pair has an A or B label yet: a reward model needs preferences.</source>
        <translation>还没有样本对被标为 A 或 B：奖励模型需要偏好。</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Snapshot of %n preference(s) in %1.</source>
        <translation>
            <numerusform>已将 %n 条偏好的快照保存到 %1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n label(s) kept here until the host answers</source>
        <translation>
            <numerusform>%n 条标注暂存在本机，等待主机响应</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 of %2 pairs labeled · yours: %3 · this session: %4 (%5 a minute)</source>
        <translation>已标注 %1 / %2 对 · 你的：%3 · 本次：%4（每分钟 %5）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>agreement κ = %1 over %2 comparisons</source>
        <translation>一致性 κ = %1（%2 次比较）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>agreement: label pairs twice to measure it</source>
        <translation>一致性：同一对样本需标注两次才能衡量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>left side wins %1% of %2 decisions</source>
        <translation>左侧胜出 %1%（共 %2 次判断）</translation>
    </message>
</context>
<context>
    <name>strata::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="+80"/>
        <source>Strata</source>
        <translation>Strata</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Open a workspace (File ▸ Open Workspace…) to see its runs.</source>
        <translation>打开一个工作区（文件 ▸ 打开工作区…）以查看其运行。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Fine-tune sample: %1</source>
        <translation>微调示例：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The fine-tune sample finished: %1</source>
        <translation>微调示例已完成：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The fine-tune sample stopped: %1</source>
        <translation>微调示例已停止：%1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open Workspace…</source>
        <translation>打开工作区(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;Remote Workspace…</source>
        <translation>打开远程工作区(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import Model…</source>
        <translation>导入模型(&amp;I)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a Hugging Face model folder or a GGUF file into this workspace&apos;s models/</source>
        <translation>把 Hugging Face 模型文件夹或 GGUF 文件导入到本工作区的 models/</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the &amp;Sample Pipeline</source>
        <translation>运行示例流水线(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clean the sample corpus, train its tokenizer, shard it and pretrain a tiny model on this machine, stage by stage</source>
        <translation>在本机逐个阶段地清洗示例语料、训练其分词器、切分分片并预训练一个小模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run the &amp;Fine-tune Sample</source>
        <translation>运行微调示例(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Measure the real model of the workspace on held-out sample tasks, fine-tune it with LoRA SFT and then GRPO, and measure it after each stage (strata-cli demo finetune)</source>
        <translation>在留出的示例任务上测量工作区中的真实模型，先用 LoRA SFT 再用 GRPO 微调它，并在每个阶段后测量（strata-cli demo finetune）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel the Sample Pipeline</source>
        <translation>取消示例流水线(&amp;C)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Log Console</source>
        <translation>日志控制台(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Targets…</source>
        <translation>运行目标(&amp;T)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The language changes when Strata starts again.</source>
        <translation>重新启动 Strata 后将切换语言。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot open the workspace %1: %2</source>
        <translation>无法打开工作区 %1：%2</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>Sample pipeline: %1</source>
        <translation>示例流水线：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Labeling</source>
        <translation>标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Playground</source>
        <translation>试验场</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Strata — %1</source>
        <translation>Strata — %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Fine-tune sample: starting…</source>
        <translation>微调示例：正在启动…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Imported %1</source>
        <translation>已导入 %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Saved %1: start it on the Train page</source>
        <translation>已保存 %1：请在训练页启动它</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The run&apos;s checkpoints are on %1: export them there with strata-cli export</source>
        <translation>该运行的检查点在 %1 上：请在那里用 strata-cli export 导出</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This run has no checkpoint to export yet</source>
        <translation>该运行还没有可导出的检查点</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Open Workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot open the remote workspace: %1</source>
        <translation>无法打开远程工作区：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Open Remote Workspace</source>
        <translation>打开远程工作区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The workspace on another host (ssh://[user@]host[:port]/path):</source>
        <translation>另一台主机上的工作区（ssh://[user@]host[:port]/path）：</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 次运行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n active</source>
        <translation>
            <numerusform>%n 个进行中</numerusform>
        </translation>
    </message>
    <message>
        <location line="-111"/>
        <location line="+113"/>
        <source>Cannot read the run history: %1</source>
        <translation>无法读取运行历史：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A run is active</source>
        <translation>有运行正在进行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A run is still training. Detach from it (it goes on, and the Runs page shows it when you come back) or stop it (it saves a checkpoint first)?</source>
        <translation>仍有运行在训练中。要脱离它（它会继续运行，下次打开时可在“运行记录”页看到），还是停止它（会先保存检查点）？</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Detach</source>
        <translation>脱离</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the run</source>
        <translation>停止运行</translation>
    </message>
</context>
<context>
    <name>strata::ui::ModelPage</name>
    <message>
        <location filename="../ui/model/model_page.cpp" line="+48"/>
        <location line="+200"/>
        <source>grouped-query (GQA)</source>
        <translation>分组查询注意力 (GQA)</translation>
    </message>
    <message>
        <location line="-199"/>
        <source>multi-head latent (MLA)</source>
        <translation>多头潜在注意力 (MLA)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPU, fp32</source>
        <translation>CPU，fp32</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CUDA GPU, bf16 with fused attention</source>
        <translation>CUDA GPU，bf16 与融合注意力</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>d_model</source>
        <translation>d_model</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vocabulary size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model width (d_model)</source>
        <translation>模型宽度 (d_model)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dense layers first</source>
        <translation>前置稠密层数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key/value heads (GQA)</source>
        <translation>键/值头数 (GQA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key/value latent rank (MLA)</source>
        <translation>键/值潜在秩 (MLA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routed experts</source>
        <translation>路由专家数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shared experts</source>
        <translation>共享专家数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Experts per token (top-k)</source>
        <translation>每个词元的专家数 (top-k)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expert hidden size</source>
        <translation>专家隐藏层大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch (sequences)</source>
        <translation>批大小（序列数）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence length</source>
        <translation>序列长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Load…</source>
        <translation>加载…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load a model config</source>
        <translation>加载模型配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model configs (*.toml config.json)</source>
        <translation>模型配置 (*.toml config.json)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>TOML (*.toml)</source>
        <translation>TOML 文件 (*.toml)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A model of this workspace (models/), shown read-only, or a new design</source>
        <translation>本工作区的模型（models/，只读显示），或新的设计</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Write a fine-tuning run config for this model</source>
        <translation>为该模型写一个微调运行配置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Import Model…</source>
        <translation>导入模型(&amp;I)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import a Hugging Face model folder or a GGUF file into models/</source>
        <translation>把 Hugging Face 模型文件夹或 GGUF 文件导入到 models/</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>New design (editable)</source>
        <translation>新设计（可编辑）</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 is not a model folder: it has neither model.toml nor config.json</source>
        <translation>%1 不是模型文件夹：其中既没有 model.toml 也没有 config.json</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Strata (made here)</source>
        <translation>Strata（在此训练）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Family&lt;/b&gt;: %1</source>
        <translation>&lt;b&gt;系列&lt;/b&gt;：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Layers&lt;/b&gt;: %1, all dense (feed-forward hidden size %2)</source>
        <translation>&lt;b&gt;层数&lt;/b&gt;：%1，全部为稠密层（前馈隐藏层大小 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;Layers&lt;/b&gt;: %1, of which %2 MoE and %3 dense</source>
        <translation>&lt;b&gt;层数&lt;/b&gt;：%1，其中 %2 层 MoE，%3 层稠密</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Width&lt;/b&gt;: d_model %1, vocabulary %2, context %3 tokens</source>
        <translation>&lt;b&gt;宽度&lt;/b&gt;：d_model %1，词表 %2，上下文 %3 个词元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Attention&lt;/b&gt;: %1, %2 heads, %3 key/value heads, head dim %4</source>
        <translation>&lt;b&gt;注意力&lt;/b&gt;：%1，%2 个头，%3 个键/值头，头维度 %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>multi-head (MHA)</source>
        <translation>多头（MHA）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>multi-query (MQA)</source>
        <translation>多查询（MQA）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Attention&lt;/b&gt;: multi-head latent (MLA), %1 heads, key/value latent rank %2, query latent rank %3, head dims %4 + %5 rotary, values %6</source>
        <translation>&lt;b&gt;注意力&lt;/b&gt;：多头潜在注意力（MLA），%1 个头，键/值潜在秩 %2，查询潜在秩 %3，头维度 %4 + %5（旋转），值 %6</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;MoE&lt;/b&gt;: %1 routed experts and %2 shared, top-%3, expert hidden size %4</source>
        <translation>&lt;b&gt;MoE&lt;/b&gt;：%1 个路由专家和 %2 个共享专家，top-%3，专家隐藏层大小 %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;MoE&lt;/b&gt;: none (a dense model)</source>
        <translation>&lt;b&gt;MoE&lt;/b&gt;：无（稠密模型）</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>&lt;br&gt;&lt;b&gt;With LoRA&lt;/b&gt; (rank %1, %2 adapter parameters): %3 (adapters&apos; gradients and optimizer %4)</source>
        <translation>&lt;br&gt;&lt;b&gt;使用 LoRA&lt;/b&gt;（秩 %1，%2 个适配器参数）：%3（适配器的梯度与优化器状态 %4）</translation>
    </message>
    <message>
        <location line="-250"/>
        <source>Save the model config</source>
        <translation>保存模型配置</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>&amp;Fine-tune…</source>
        <translation>微调(&amp;F)…</translation>
    </message>
    <message>
        <location line="+282"/>
        <source>the form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&lt;b&gt;Family&lt;/b&gt;: %1, as imported&lt;br&gt;</source>
        <translation>&lt;b&gt;模型家族&lt;/b&gt;：%1（导入时的架构）&lt;br&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Parameters&lt;/b&gt;: %1 total, %2 active per token&lt;br&gt;&lt;b&gt;Training FLOPs&lt;/b&gt;: %3 per token at %4 tokens of context&lt;br&gt;&lt;b&gt;Training memory&lt;/b&gt;: %5 (weights %6, gradients %7, optimizer %8, activations %9)</source>
        <translation>&lt;b&gt;参数量&lt;/b&gt;：共 %1，每个词元激活 %2&lt;br&gt;&lt;b&gt;训练 FLOPs&lt;/b&gt;：上下文 %4 个词元时每个词元 %3&lt;br&gt;&lt;b&gt;训练内存&lt;/b&gt;：%5（权重 %6，梯度 %7，优化器 %8，激活 %9）</translation>
    </message>
</context>
<context>
    <name>strata::ui::PairGenerationDialog</name>
    <message>
        <location filename="../ui/labeling/pair_generation_dialog.cpp" line="+34"/>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Generate Preference Pairs</source>
        <translation>生成偏好样本对</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The same checkpoint on both sides samples side B with the next seed</source>
        <translation>两侧使用同一检查点时，B 侧使用下一个随机种子采样</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>prompts.jsonl ({&quot;prompt&quot;: …} a line) or a text file, one prompt a line</source>
        <translation>prompts.jsonl（每行一个 {&quot;prompt&quot;: …}）或文本文件（每行一个提示）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prompt Set</source>
        <translation>提示集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt sets (*.jsonl *.txt);;All files (*)</source>
        <translation>提示集 (*.jsonl *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Checkpoint A</source>
        <translation>检查点 A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoint B</source>
        <translation>检查点 B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt set</source>
        <translation>提示集</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+49"/>
        <source>Nothing was added: %1</source>
        <translation>未添加任何内容：%1</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>No checkpoint yet: train a run first (Train page).</source>
        <translation>还没有检查点：请先训练一个运行（训练页）。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Choose a prompt set first.</source>
        <translation>请先选择一个提示集。</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Generating answers to %n prompt(s) on both sides…</source>
        <translation>
            <numerusform>正在两侧为 %n 个提示生成回答…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cancelled; nothing was added.</source>
        <translation>已取消；未添加任何内容。</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Added %n pair(s) to the queue.</source>
        <translation>
            <numerusform>已向队列添加 %n 对样本。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n left out: an empty answer, or the same answer on both sides.</source>
        <translation>
            <numerusform>%n 对被略去：回答为空，或两侧回答相同。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>strata::ui::PlaygroundPage</name>
    <message>
        <location filename="../ui/playground/playground_page.cpp" line="+40"/>
        <source>&amp;Compare two checkpoints</source>
        <translation>比较两个检查点(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New Chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Type a prompt; leave it empty to let the model begin a document</source>
        <translation>输入提示；留空则让模型从头开始一篇文档</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Generate from the prompt (Ctrl+Enter)</source>
        <translation>根据提示生成 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop generating (Esc)</source>
        <translation>停止生成 (Esc)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forget the conversation: the next chat prompt starts a new one</source>
        <translation>忘掉这段对话：下一个对话提示开始新的对话</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No model to generate from yet</source>
        <translation>还没有可用于生成的模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Here two checkpoints continue one prompt side by side. A run lists its checkpoints here as it saves them; a model folder on this machine (an imported model, a copied checkpoint) can be chosen too.</source>
        <translation>在这里，两个检查点并排续写同一个提示。运行保存的检查点会列在这里；也可以选择本机上的模型文件夹（导入的模型、复制的检查点）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose a Model Folder…</source>
        <translation>选择模型文件夹…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the Pipeline</source>
        <translation>打开流水线</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>strata::ui::PlaygroundPane</name>
    <message>
        <location filename="../ui/playground/playground_pane.cpp" line="+27"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The checkpoint that writes this side&apos;s text</source>
        <translation>生成这一侧文本的检查点</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Generate from a model folder on this machine (a checkpoint or an imported Hugging Face model)</source>
        <translation>用本机上的模型文件夹生成（检查点或导入的 Hugging Face 模型）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export this model as a Hugging Face folder or a GGUF file</source>
        <translation>把该模型导出为 Hugging Face 文件夹或 GGUF 文件</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>No checkpoint yet: train a run (Train page), or pick a model folder.</source>
        <translation>还没有检查点：请训练一个运行（训练页），或选择一个模型文件夹。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No checkpoint yet</source>
        <translation>还没有检查点</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Model Folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Starting a worker on %1…</source>
        <translation>正在 %1 上启动 worker…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n token(s) in %1 s · %2 tokens/s</source>
        <translation>
            <numerusform>%n 个词元，用时 %1 秒 · 每秒 %2 个词元</numerusform>
        </translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
</context>
<context>
    <name>strata::ui::RemoteWorkspaceJob</name>
    <message>
        <location filename="../ui/common/workspace_job.cpp" line="+88"/>
        <source>%1 The job goes on there; its output shows when the host answers.</source>
        <translation>%1 作业仍在那里运行；主机应答后会显示它的输出。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>strata::ui::RemoteWorkspaceWindow</name>
    <message>
        <location filename="../ui/remote_workspace_window.cpp" line="+52"/>
        <source>Strata — %1</source>
        <translation>Strata — %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Designing a model works here. The models of the workspace on %1 (its models/) are listed, imported and fine-tuned in a studio opened on that host, or with &lt;tt&gt;strata-cli import&lt;/tt&gt; there.</source>
        <translation>可以在这里设计模型。%1 上工作区的模型（其 models/）请在该主机上打开的工作室中列出、导入和微调，或在那里使用 &lt;tt&gt;strata-cli import&lt;/tt&gt;。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Labeling</source>
        <translation>标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Playground</source>
        <translation>试验场</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Connected to %1</source>
        <translation>已连接到 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Cannot reach %1: %n label(s) kept here; trying again in %2 s</source>
        <translation>
            <numerusform>无法连接 %1：%n 条标注暂存在本机；%2 秒后重试</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>strata::ui::ReviewDialog</name>
    <message>
        <location filename="../ui/labeling/review_dialog.cpp" line="+46"/>
        <location line="+2"/>
        <source>Annotator</source>
        <translation>标注者</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Labels</source>
        <translation>标注数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+23"/>
        <source>Tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Seconds a label</source>
        <translation>每条标注秒数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last labeled</source>
        <translation>最近标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pairs both decided</source>
        <translation>双方都判定的样本对</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agree</source>
        <translation>一致</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>why (optional)</source>
        <translation>理由（可选）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A is better</source>
        <translation>A 更好</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B is better</source>
        <translation>B 更好</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Annotators</source>
        <translation>标注者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agreement</source>
        <translation>一致性</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disagreements</source>
        <translation>分歧</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>pair %1: %2</source>
        <translation>样本对 %1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No disagreements.</source>
        <translation>没有分歧。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n disagreement(s).</source>
        <translation>
            <numerusform>%n 处分歧。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Decided by %1: &lt;b&gt;%2&lt;/b&gt; %3</source>
        <translation>由 %1 裁定：&lt;b&gt;%2&lt;/b&gt; %3</translation>
    </message>
</context>
<context>
    <name>strata::ui::RolloutInspector</name>
    <message>
        <location filename="../ui/train/rollout_inspector.cpp" line="+35"/>
        <source>Follow the newest step</source>
        <translation>跟随最新一步</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No rollouts recorded yet: PPO and GRPO runs record some of each step&apos;s responses (inspect_responses).</source>
        <translation>尚未记录采样：PPO 和 GRPO 训练会记录每一步的部分回答（inspect_responses）。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>step %1 (%2 of %3)</source>
        <translation>第 %1 步（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 ×%2</source>
        <translation>%1 ×%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Advantage</source>
        <translation>优势</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL (sum)</source>
        <translation>KL（总和）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Response</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>&lt;b&gt;Prompt&lt;/b&gt;, as the chat template renders it:</source>
        <translation>&lt;b&gt;提示&lt;/b&gt;（按对话模板渲染）：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Reference:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;参考答案：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>KL %1</source>
        <translation>KL %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>token %1 of %2</source>
        <translation>第 %1 个词元，共 %2 个</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Shading: each token&apos;s KL to the reference (%1 estimator), from 0 (pale) to %2 (red), the largest of this step&apos;s responses.</source>
        <translation>底色：每个词元相对参考模型的 KL（%1 估计量），从 0（浅色）到 %2（红色），即本步回答中的最大值。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No KL recorded: the run has no reference model (grpo.beta = 0).</source>
        <translation>未记录 KL：该训练没有参考模型（grpo.beta = 0）。</translation>
    </message>
</context>
<context>
    <name>strata::ui::RunCommentsPane</name>
    <message>
        <location filename="../ui/runs/run_comments_pane.cpp" line="+18"/>
        <source>Pos&amp;t</source>
        <translation>发表(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No comments on this run yet.</source>
        <translation>这次运行还没有评论。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Say something about this run, as %1</source>
        <translation>以 %1 的身份评论这次运行</translation>
    </message>
</context>
<context>
    <name>strata::ui::RunConfigDialog</name>
    <message>
        <location filename="../ui/train/run_config_dialog.cpp" line="+41"/>
        <source>New Run Config</source>
        <translation>新建运行配置</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>init.model: the checkpoint the stage starts from</source>
        <translation>init.model：该阶段开始时使用的检查点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none: rule-based rewards only</source>
        <translation>无：只用基于规则的奖励</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>init.reward_model: a checkpoint of a reward run, weighted by rewards.model</source>
        <translation>init.reward_model：奖励模型运行的检查点，权重为 rewards.model</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>data.train: conversations (SFT), preference pairs (reward, DPO) or task prompts (PPO, GRPO), JSONL</source>
        <translation>data.train：对话（SFT）、偏好对（奖励模型、DPO）或任务提示（PPO、GRPO），JSONL 格式</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training Data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines 文件 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start from</source>
        <translation>起点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward model</source>
        <translation>奖励模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>strata::ui::RunTableModel</name>
    <message>
        <location filename="../ui/runs/run_table_model.cpp" line="+51"/>
        <source>%1 · Slurm job %2: %3</source>
        <translation>%1 · Slurm 作业 %2：%3</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Started by</source>
        <translation>发起人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>strata::ui::RunsPage</name>
    <message>
        <location filename="../ui/runs/runs_page.cpp" line="+71"/>
        <source>Filter runs by name, stage, state, target, tag or note</source>
        <translation>按名称、阶段、状态、目标、标签或备注筛选运行</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Select two runs to compare their configs key by key.</source>
        <translation>选择两个运行以逐项比较其配置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>Sa&amp;ve</source>
        <translation>保存(&amp;V)</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Show all keys</source>
        <translation>显示所有键</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export &amp;Model…</source>
        <translation>导出模型(&amp;M)…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>each run</source>
        <translation>逐个运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>config key</source>
        <translation>配置键</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One line a run, or one a group: its mean, with a band from its lowest to its highest run</source>
        <translation>每个运行一条线，或每组一条线：组内均值，并以阴影带标出最低与最高的运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>optim.lr</source>
        <translation>optim.lr</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Draw every other run as its difference from this one</source>
        <translation>把其他运行画成与此运行的差值</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Group by</source>
        <translation>分组依据</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+27"/>
        <source>Lineage</source>
        <translation>血缘</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+28"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>a title for people; the run&apos;s name stays</source>
        <translation>给人看的标题；运行名称保持不变</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tags, separated by commas</source>
        <translation>标签，用逗号分隔</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>List the keys both runs set alike as well (key = value)</source>
        <translation>同时列出两个运行取值相同的键（键 = 值）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Config diff</source>
        <translation>配置对比</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;xport CSV…</source>
        <translation>导出 CSV(&amp;X)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every metric of the selected runs, one CSV file per run</source>
        <translation>所选运行的全部指标，每个运行一个 CSV 文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export the metrics into</source>
        <translation>将指标导出到</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export the selected run&apos;s latest checkpoint as a Hugging Face folder or a GGUF file</source>
        <translation>把所选运行的最新检查点导出为 Hugging Face 文件夹或 GGUF 文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save &amp;Report…</source>
        <translation>保存报告(&amp;R)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The selected runs as one HTML file that opens in any browser: charts, config differences, notes, comments and lineage</source>
        <translation>把所选运行保存为一个可在任何浏览器中打开的 HTML 文件：图表、配置差异、备注、评论和血缘</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Runs are deleted on a workspace of this machine: open this workspace on its host to delete them</source>
        <translation>运行只能在本机的工作区中删除：请在其主机上打开此工作区来删除它们</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Models are exported on a workspace of this machine: run strata-cli export on the host</source>
        <translation>模型只能在本机的工作区中导出：请在主机上运行 strata-cli export</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No runs yet</source>
        <translation>还没有运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every training run, started on the Train page, from the Home page&apos;s samples or with strata-cli, is recorded here with its metrics, checkpoints and config, to compare runs and review them.</source>
        <translation>每次训练运行（从训练页、首页的示例或用 strata-cli 启动）都会连同其指标、检查点和配置记录在这里，便于比较和审阅。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the Pipeline</source>
        <translation>打开流水线</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Select the runs to report on.</source>
        <translation>请选择要报告的运行。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save Report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Charts in the report:</source>
        <translation>报告中的图表：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved the report in %1.</source>
        <translation>报告已保存到 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1, difference from %2</source>
        <translation>%1，与 %2 的差值</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>%1 (%n run(s))</source>
        <translation>
            <numerusform>%1（%n 个运行）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1  →  %2</source>
        <translation>%1  →  %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The configs are the same.</source>
        <translation>两份配置相同。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+3"/>
        <source>(absent)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>Exported %n run(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 个运行导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 is still %2: stop it before deleting it.</source>
        <translation>%1 仍处于“%2”状态：请先停止它再删除。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Delete %n run(s) from the history: %1? Their metrics, logs and notes go; their run folders stay on disk.</source>
        <translation>
            <numerusform>从历史中删除 %n 个运行：%1？它们的指标、日志和备注将被删除；运行文件夹仍保留在磁盘上。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Deleted %1.</source>
        <translation>已删除 %1。</translation>
    </message>
</context>
<context>
    <name>strata::ui::SamplePipeline</name>
    <message>
        <location filename="../ui/common/sample_pipeline.cpp" line="+81"/>
        <source>preparing the sample workspace</source>
        <translation>准备示例工作区</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cleaning</source>
        <translation>清洗</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>training the tokenizer</source>
        <translation>训练分词器</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: no model.vocab_size</source>
        <translation>%1：没有 model.vocab_size</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sharding</source>
        <translation>切分分片</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>recording the dataset</source>
        <translation>记录数据集</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pretraining</source>
        <translation>预训练</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The sample pipeline is done.</source>
        <translation>示例流水线已完成。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The sample pipeline stopped: %1</source>
        <translation>示例流水线已停止：%1</translation>
    </message>
</context>
<context>
    <name>strata::ui::SamplingForm</name>
    <message>
        <location filename="../ui/common/sampling_form.cpp" line="+40"/>
        <source>Tokens to generate at most</source>
        <translation>最多生成的词元数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sampling temperature; 0 always picks the most likely token</source>
        <translation>采样温度；0 表示总是选择最可能的词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sample from the K most likely tokens; 0 = all</source>
        <translation>从最可能的 K 个词元中采样；0 表示全部</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sample from the smallest set of likely tokens whose probability reaches P</source>
        <translation>从概率之和达到 P 的最小词元集合中采样</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Divides the odds of tokens already in the text; 1 = none</source>
        <translation>降低文本中已出现词元的几率；1 表示不惩罚</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same seed, settings and checkpoint give the same text</source>
        <translation>相同的种子、设置和检查点给出相同的文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask the prompt as a user turn of the chat template and show the assistant&apos;s answer, as fine-tuned models are trained; off: continue the prompt as text</source>
        <translation>按对话模板把提示作为用户发言提出，并显示助手的回答，与微调模型的训练方式一致；关闭时：把提示当作文本续写</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Max new tokens</source>
        <translation>最多新词元数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
</context>
<context>
    <name>strata::ui::StudioApplication</name>
    <message>
        <location filename="../ui/common/studio_application.cpp" line="+38"/>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unexpected error of an unknown kind</source>
        <translation>未知类型的意外错误</translation>
    </message>
</context>
<context>
    <name>strata::ui::TargetsDialog</name>
    <message>
        <location filename="../ui/targets/targets_dialog.cpp" line="+22"/>
        <source>A Slurm cluster&apos;s login host: runs are batch jobs</source>
        <translation>Slurm 集群的登录节点：运行以批处理作业提交</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Targets</source>
        <translation>运行目标</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>[user@]host, as ssh takes it</source>
        <translation>[用户@]主机，与 ssh 的写法相同</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ssh&apos;s default</source>
        <translation>ssh 的默认值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default: ssh&apos;s keys and agent</source>
        <translation>默认：ssh 的密钥和代理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default: the remote user&apos;s sample workspace</source>
        <translation>默认：远程用户的示例工作区</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default: the host name</source>
        <translation>默认：主机名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When this host is the first of a run across several: the address the others reach it by</source>
        <translation>当此主机是跨多台主机运行中的第一台时：其他主机访问它所用的地址</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ssh -o options, e.g. ConnectTimeout=5 Compression=yes</source>
        <translation>ssh -o 选项，例如 ConnectTimeout=5 Compression=yes</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. --partition=gpu --time=4:00:00 --gres=gpu:8</source>
        <translation>例如 --partition=gpu --time=4:00:00 --gres=gpu:8</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This machine (local)</source>
        <translation>本机（local）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>host %1</source>
        <translation>主机 %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+13"/>
        <source>Identity file</source>
        <translation>身份密钥文件</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remote workspace</source>
        <translation>远程工作区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote strata-cli</source>
        <translation>远程 strata-cli</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address for other hosts</source>
        <translation>供其他主机访问的地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SSH options</source>
        <translation>SSH 选项</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+97"/>
        <source>sbatch options</source>
        <translation>sbatch 选项</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>local</source>
        <translation>本机</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>SSH option &quot;%1&quot; is not KEY=VALUE, as ssh -o takes it</source>
        <translation>SSH 选项“%1”不是 ssh -o 所接受的 KEY=VALUE 形式</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
</context>
<context>
    <name>strata::ui::TokenizerPage</name>
    <message>
        <location filename="../ui/tokenizer/tokenizer_page.cpp" line="+53"/>
        <location line="+90"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a tokenizer</source>
        <translation>打开分词器</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>Tokenizers (tokenizer.json *.json)</source>
        <translation>分词器 (tokenizer.json *.json)</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a Hugging Face tokenizer</source>
        <translation>导入 Hugging Face 分词器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name in this workspace</source>
        <translation>在此工作区中的名称</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Type or paste text to see its tokens</source>
        <translation>输入或粘贴文本以查看其词元</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Find tokens containing…</source>
        <translation>查找包含以下内容的词元…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a corpus: .txt, .jsonl, .jsonl.zst, .html files or a folder</source>
        <translation>语料：.txt、.jsonl、.jsonl.zst、.html 文件或文件夹</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vocabulary size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Inspect</source>
        <translation>查看</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No tokenizer in this workspace yet</source>
        <translation>此工作区还没有分词器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A tokenizer turns text into the token ids a model reads and writes. Train one on a cleaned corpus, or import the tokenizer.json of a Hugging Face model, then see how it splits any text and browse its vocabulary here.</source>
        <translation>分词器把文本变成模型读写的词元 id。可以在清洗过的语料上训练一个，或导入 Hugging Face 模型的 tokenizer.json，然后在这里查看它如何切分任意文本并浏览其词表。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train a Tokenizer</source>
        <translation>训练分词器</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import tokenizer.json…</source>
        <translation>导入 tokenizer.json…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Trained %1.</source>
        <translation>已训练 %1。</translation>
    </message>
    <message numerus="yes">
        <location line="+61"/>
        <source>%1: %n token(s)</source>
        <translation>
            <numerusform>%1：%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not a usable name: letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; only</source>
        <translation>“%1”不是可用的名称：只能使用字母、数字、“.”、“_”和“-”</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Training needs a corpus and a name (letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;).</source>
        <translation>训练需要语料和名称（字母、数字、“.”、“_”和“-”）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Training %1…</source>
        <translation>正在训练 %1…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>no tokens</source>
        <translation>没有词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 bytes, %2 characters → %3 tokens: %4 bytes and %5 characters per token</source>
        <translation>%1 字节、%2 个字符 → %3 个词元：每个词元 %4 字节、%5 个字符</translation>
    </message>
</context>
<context>
    <name>strata::ui::TrainPage</name>
    <message>
        <location filename="../ui/train/train_page.cpp" line="+80"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per second</source>
        <translation>每秒词元数</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a run config (TOML), e.g. configs/pretrain.toml</source>
        <translation>运行配置（TOML），例如 configs/pretrain.toml</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run config</source>
        <translation>运行配置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run configs (*.toml)</source>
        <translation>运行配置 (*.toml)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>default: the config&apos;s name</source>
        <translation>默认：配置文件名</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>local, a target from Settings ▸ Targets, ssh://[user@]host[:port] (keys and settings from ~/.ssh), or slurm://[user@]login-host[:port] (the run as a Slurm batch job); several SSH hosts, separated by commas, train one run across them</source>
        <translation>local、设置 ▸ 目标 中的目标、ssh://[user@]host[:port]（密钥与设置取自 ~/.ssh），或 slurm://[user@]login-host[:port]（运行作为 Slurm 批处理作业提交）；用逗号分隔多个 SSH 主机，即在这些主机上训练同一个运行</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>New Config…</source>
        <translation>新建配置…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A run config for any stage: SFT, reward model, DPO, PPO, GRPO</source>
        <translation>任意阶段的运行配置：SFT、奖励模型、DPO、PPO、GRPO</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a run config (TOML) on this machine; its data paths are in the workspace on %1</source>
        <translation>本机上的运行配置（TOML）；其中的数据路径位于 %1 上的工作区中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Processes per host</source>
        <translation>每台主机的进程数</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Router load per expert (share of routed tokens)</source>
        <translation>每个专家的路由负载（所分配词元的占比）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>MoE layer</source>
        <translation>MoE 层</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stage metrics</source>
        <translation>阶段指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rollouts</source>
        <translation>采样</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>Run %1 started</source>
        <translation>运行 %1 已开始</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <location line="-339"/>
        <source>Processes (ranks) on each host, one per GPU; pretraining splits its batches across them</source>
        <translation>每台主机上的进程（rank）数，每块 GPU 一个；预训练把批次分给这些进程</translation>
    </message>
    <message>
        <location line="+355"/>
        <source>%1: %2, step %3</source>
        <translation>%1：%2，第 %3 步</translation>
    </message>
</context>
<context>
    <name>strata::ui::VocabularyModel</name>
    <message>
        <location filename="../ui/tokenizer/vocabulary_model.cpp" line="+43"/>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
</context>
<context>
    <name>strata::ui::WorkspaceFileDialog</name>
    <message>
        <location filename="../ui/common/workspace_file_dialog.cpp" line="+59"/>
        <source>&amp;Up</source>
        <translation>上一级(&amp;U)</translation>
    </message>
</context>
<context>
    <name>strata::widgets::ConfigForm</name>
    <message>
        <location filename="../widgets/config_form.cpp" line="+62"/>
        <source>A size: 64 MiB, 512 KiB, 1.5 GiB or a number of bytes.</source>
        <translation>大小：64 MiB、512 KiB、1.5 GiB，或字节数。</translation>
    </message>
</context>
<context>
    <name>strata::widgets::Heatmap</name>
    <message>
        <location filename="../widgets/heatmap.cpp" line="+85"/>
        <source>no data yet</source>
        <translation>暂无数据</translation>
    </message>
</context>
<context>
    <name>strata::widgets::MetricChart</name>
    <message>
        <location filename="../widgets/metric_chart.cpp" line="+47"/>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the chart&apos;s points</source>
        <translation>导出图表的数据点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+173"/>
        <source>%1: %2 at %3</source>
        <translation>%1：%3 处为 %2</translation>
    </message>
</context>
<context>
    <name>strata::widgets::TokenView</name>
    <message>
        <location filename="../widgets/token_view.cpp" line="+37"/>
        <source>token id %1</source>
        <translation>词元 ID %1</translation>
    </message>
</context>
</TS>
