"""A bilingual glossary of project-management, Kanban and self-hosting vocabulary, used to give BM25 a way across
languages: a Chinese question over English pages ("子任务的计时器") also searches for the English words a page
would use ("subtask timer").

The entries are general domain knowledge (what a PM tool, its admin and its API call things), not words taken from
any question set. A term maps to a few English words; the longest term wins where terms overlap ("子任务" before
"任务", "自动化动作" before "自动"), so a compound is never also read as its parts.
"""

from __future__ import annotations

import functools
import re

# One line per concept: Chinese synonyms separated by "/", then ":", then the English words a page would use.
_ZH_EN = """
看板/看板图: board kanban
泳道/泳道图: swimlane
列/栏/栏目/看板列: column
卡片/任务卡/卡: card task
任务/工作项/事项/待办事项: task
子任务/子项/检查项: subtask
待办/未开始: todo backlog
进行中/处理中: progress
已完成/完成/做完: done completed
在制品/在制品限制/并行任务数: work progress limit
项目/工程: project
个人项目/私人项目: personal project private
团队项目/多人项目/共享项目: team project multiple users
项目设置/项目配置: project settings
里程碑: milestone
截止日期/截止时间/到期日/截止/到期/期限: due date
逾期/过期/超期/延期: overdue due
开始日期/开始时间: start date
结束日期/完成日期: end date completion
日期/时间/日子: date time
日期格式/时间格式: date format
时区: timezone time zone
循环任务/重复任务/周期任务/定期任务: recurring task recurrence
优先级/优先度: priority
复杂度/难度/故事点/估点: complexity score story points
预估/估算/估计/预计: estimate estimated
工时/耗时/花费时间/用时/时长: time spent hours
计时/计时器/秒表: timer time tracking
时间跟踪/时间记录/工时记录: time tracking
颜色/色/配色: color
分类/类别/类型: category
标签: tag
评论/留言/备注: comment
附件/文件/上传文件: attachment file
上传: upload
下载: download
截图/截屏/屏幕截图: screenshot
图片/图像/照片: image picture photo
头像: avatar
描述/说明/详情: description
标题/名称/名字: title name
链接/关联/关系: link relation
依赖/阻塞/前置任务: blocks dependency link
外部链接: external link
外部任务/外部系统: external task provider
参考号/外部编号/工单号/工单/编号/单号: reference external id ticket number
负责人/经办人/处理人/指派人: assignee
指派/分配/指定/分派: assign assignee
创建者/创建人/发起人: creator
成员/项目成员/组员: member
查看者/访客/只读成员/观察者: viewer read only
管理员/超级管理员/系统管理员: administrator admin
项目经理/项目管理员/负责人员: project manager
经理/主管: manager
用户/使用者/人员/同事/账号/账户/帐号/帐户: user account
用户组/群组/分组/组/团队/部门: group team
角色/身份: role
自定义角色/定制角色: custom role restriction
权限/访问权限/授权: permission access role
限制/约束/禁止/不允许: restriction limit not allowed
公开/公共/对外/分享/共享: public share sharing
公开访问/公开链接/分享链接: public access link
只读: read only
仪表盘/仪表板/工作台/首页/主页: dashboard
日历/行事历: calendar
列表/清单: list
甘特图/甘特/横道图: gantt chart
视图/视角/界面/页面: view page interface
概览/总览/概况: overview
筛选/过滤/筛选器/过滤器: filter
自定义过滤器/保存的筛选/常用筛选: custom filter
搜索/查找/检索/搜/查/找: search find
查询/查询语法/搜索语法/语法: query search syntax
统计/分析/数据分析: analytics statistics
报表/报告/图表: report chart analytics
燃尽图: burndown chart
累积流图/累计流图: cumulative flow diagram
前置时间/交付时间/交付周期: lead time
周期时间/循环时间: cycle time
平均: average
通知/提醒/推送/消息: notification
邮件/邮箱/电子邮件/电邮: email mail
发件人/发信人/发件地址/发件邮箱: sender from address
提及/艾特: mention
订阅: subscription subscribe feed
动态/活动/活动流/动态流: activity stream events
日历订阅/日历源: ical icalendar feed
自动化/自动/自动地: automatic automatically
自动化动作/自动动作/自动操作/自动规则/自动化规则: automatic actions
动作/操作: action
触发/触发器/触发条件: trigger event
事件: event
定时任务/计划任务/定时作业/定时器: cron cronjob scheduled background job
后台任务/后台作业/后台进程: background job worker
管理后台/网页后台/后台管理/管理界面/后台: admin settings web interface
队列/消息队列: queue worker
快捷键/热键/键盘快捷方式/快捷方式: keyboard shortcut
键盘: keyboard
安装/部署/搭建/装: install installation
升级/更新版本/更新: upgrade update
版本: version
备份: backup
恢复/还原/导回: restore
迁移/数据迁移: migration migrate
导出/导出数据: export
导入/导入数据: import
数据库/库: database
仓库/代码仓库/代码库: repository git
数据目录/数据文件夹: data directory folder
插件/扩展/外挂: plugin
主题/皮肤/样式: theme stylesheet css
样式表: stylesheet css
命令行/命令/终端/控制台: command line cli terminal
服务器/服务端/主机: server host
容器/镜像: docker container image
反向代理/代理: reverse proxy
单点登录/统一登录: sso single sign reverse proxy authentication
登录/登陆/登入: login sign
登出/退出登录/注销: logout
密码/口令: password
重置/重设/找回: reset
锁定/锁住/被锁: locked lockdown
解锁: unlock
验证码: captcha
暴力破解/爆破/撞库: brute force
双因素认证/双因素/双重认证/两步验证/二次验证/二步验证/动态口令/身份验证器: two factor authentication 2fa totp
认证/身份验证/鉴权/验证: authentication
授权/访问控制: authorization access
令牌/密钥/秘钥: token api key
接口: api json rpc
调用/请求: call request
响应/返回/回应: response result
加密: encryption ssl tls
证书: certificate
端口: port
域名/网址/地址/链接地址: url domain
重写/伪静态/美化链接/短链接/短网址: url rewriting rewrite
日志/日志文件: log
调试/排错/排查/故障排除/调试模式: debug troubleshooting
性能/速度/加速/变慢/卡顿/慢: performance slow
缓存: cache
超时: timeout
并发/多人同时: concurrency
环境变量: environment variables
配置文件/配置项/参数: config file configuration parameter
设置/配置/设定/选项: settings configuration option
目录/文件夹/路径: directory folder path
要求/需求/环境要求/系统要求/前提/依赖环境: requirements
推荐/建议/官方推荐: recommended
支持/兼容/兼容性: supported compatible
浏览器: browser
手机/移动端/移动设备/手机端/智能手机: mobile smartphone
平板: tablet
屏幕/显示器/大屏: screen
应用/客户端/应用程序: application app
开发/开发者/二次开发: developer development
翻译/汉化/本地化/多语言/语言包: translation locale language
语言: language
测试/单元测试/自动化测试: tests unit tests
代码/源码/源代码: code source
代码规范/编码规范/代码风格: coding standards style
钩子/挂钩: hooks
模板: template
覆盖/重写模板/替换: override
路由: route routes
表单: form
助手/辅助函数: helper
元数据/自定义字段/扩展字段: metadata custom fields
字段: field
注册: register registration
监听: listen listener
回调/网络钩子: webhook
事件负载/载荷: payload
群组同步/组同步: group sync
同步: sync synchronization
目录服务/活动目录/域控: ldap active directory
默认/缺省: default
开始/启动/开启计时: start
获取/拿到/获得/取得/读取/得到: get
添加/新增/新建/创建/建/加: add create new
删除/移除/删掉/去掉: remove delete
修改/编辑/更改/改/变更: edit update change modify
重命名/改名: rename
隐藏/藏起来/不显示: hide hidden
显示/展示/查看: show display view
展开: expand
折叠/收起: collapse
紧凑/紧凑模式: compact
启用/开启/打开/开通: enable
禁用/关掉/停用/取消: disable
关闭: close closed disable
重新打开/重开: open reopen
复制/克隆/拷贝: duplicate copy
移动/移到/挪到/拖到/转移: move
拖拽/拖动/拖放/拖: drag drop
排序/顺序/位置: position order
数量/个数/数目/多少个: number count
大小/尺寸/体积: size
上限/最大/最多: maximum limit
最少/至少/最小/下限: minimum least
多久/频率/间隔/每隔: interval every frequency
刷新/自动刷新: refresh
邮件服务器: smtp mail server
归档: archive
分页: pagination
工作流/流程/工作流程: workflow process
阶段/步骤/环节: step phase column
冲刺/迭代/敏捷: sprint iteration agile scrum
缺陷/漏洞修复/故障: bug issue
问题单/问题: issue
客户/顾客: customer
发布/上线: release
路线图: roadmap
饼图: pie chart
柱状图/条形图: bar chart
汇总/总结/摘要: summary
打印: print
全屏: fullscreen
深色模式/暗色模式/夜间模式: dark mode theme
中文/汉语: chinese
英文/英语: english
时间线/时间轴: timeline
历史/历史记录/操作记录/操作日志/活动记录: history activity log
审计: audit log
回收站/垃圾箱: trash
邀请: invite
个人资料/个人信息/资料/个人设置/用户资料: profile
偏好/偏好设置: preferences
集成/对接/第三方/整合: integration third party
机器人: bot
聊天/聊天工具/即时通讯: chat
站内信/站内通知/网页通知: web notifications
未读: unread
已读/标为已读: read
标记: mark
收藏/星标/关注: favorite star watch
置顶: pin top
压缩包/安装包/归档文件: archive zip
解压/解压缩: unzip decompress
可写/写权限/写入权限/文件权限: writable permissions
报错/错误/出错/异常/失败: error failed
空白页/白屏/空白页面: blank page
找不到页面/页面不存在: page not found 404
崩溃/挂了/宕机: crash down
访问/打开/进入: access open
连不上/连接失败/无法连接/连接: connection connect
健康检查/存活检查/探针: health check liveness
监控: monitoring
负载均衡: load balancer
高可用: high availability
集群: cluster
防火墙: firewall
网络/内网/外网/公网: network internet
安全/安全性/漏洞: security
攻击/入侵: attack
会话: session
过期时间/有效期: expiration
编码/字符集/乱码: encoding charset utf8
表情/表情符号: emoji utf8mb4
接口文档/参考文档/文档: documentation reference
示例/例子/样例/范例: example
返回值/结果: result return
批量/批处理/一次多个: batch bulk multiple
限流/频率限制/速率限制: rate limit throttling
签名: signature
贡献/提交代码: contribute pull request
构建/编译/打包: build
压缩代码/合并压缩/最小化: minify
前端: frontend javascript css
后端: backend php
任务列表: task list
项目列表: project list
用户管理/成员管理: user management
用户名/登录名/账号名: username login
全名/姓名/名字显示: full name
邮件地址/邮箱地址: email address
"""


def _parse(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in table.strip().splitlines():
        terms, _, english = line.partition(":")
        words = tuple(english.split())
        for term in terms.split("/"):
            term = term.strip()
            if term:
                out[term] = tuple(dict.fromkeys(out.get(term, ()) + words))
    return out


GLOSSARY: dict[str, tuple[str, ...]] = _parse(_ZH_EN)
_LONGEST = max(len(term) for term in GLOSSARY)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@functools.lru_cache(maxsize=4096)
def english_terms(text: str) -> tuple[str, ...]:
    """The English words the glossary gives for the Chinese terms in `text`, in order, without repeats.

    Longest match first, left to right, inside each run of Chinese characters: "子任务计时器" → subtask, timer,
    time, tracking. Latin words are left alone (BM25 already reads them); text without Chinese returns ().
    """
    out: dict[str, None] = {}
    for run in _HAN_RUN.findall(text):
        position = 0
        while position < len(run):
            for size in range(min(_LONGEST, len(run) - position), 0, -1):
                words = GLOSSARY.get(run[position : position + size])
                if words is not None:
                    out.update(dict.fromkeys(words))
                    position += size
                    break
            else:
                position += 1
    return tuple(out)
