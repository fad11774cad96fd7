"""Reminder bot mixing python-telegram-bot v13 names into v20+ code.

Linted against python-telegram-bot 22: the Dispatcher, Filters, run_async,
RegexHandler, telegram.utils and telegram.ParseMode are gone; Application has no
dispatcher/idle/start_polling; filters has TEXT/COMMAND (upper case) but no
`text`/`command`.  Messages come from `update.message` (Optional[Message]): a method
missing on Message fails on None as well.  `context.dispatcher`: CallbackContext has a
__dict__ slot and an `update(dict)` method used by handlers to attach filter data
(`matches`, ...); nothing in PTB 22 ever sets `dispatcher`, so it is labelled.
"""

import datetime
import logging

from telegram import Update, Emoji  # expect: HAL002[Emoji]
from telegram.constants import ParseMode
from telegram.error import Unauthorized, BadRequest  # expect: HAL002[Unauthorized]
from telegram.ext import (
    Application,
    CallbackContext,
    CommandHandler,
    Dispatcher,  # expect: HAL002[Dispatcher]
    MessageHandler,
    RegexHandler,  # expect: HAL002[RegexHandler]
    filters,
    run_async,  # expect: HAL002[run_async]
)
from telegram.ext import DispatcherHandlerStop  # expect: HAL002[DispatcherHandlerStop]
from telegram.utils.helpers import escape_markdown  # expect: HAL001[telegram.utils.helpers]
from telegram.ext.messagequeue import DelayQueue  # expect: HAL001[telegram.ext.messagequeue]

log = logging.getLogger(__name__)


async def remind(update: Update, context: CallbackContext) -> None:
    minutes = int(context.args[0]) if context.args else 5
    context.job_queue.run_once(ping, datetime.timedelta(minutes=minutes), chat_id=update.effective_chat.id)
    await update.message.reply(f"I will remind you in {minutes} minutes")  # expect: HAL101[reply]


async def ping(context: CallbackContext) -> None:
    await context.bot.send_message(context.job.chat_id, text="Reminder!", parse_mode=ParseMode.HTML)
    log.info("dispatcher: %s", context.dispatcher)  # expect: HAL101[dispatcher]


async def echo(update: Update, context: CallbackContext) -> None:
    text = escape_markdown(update.message.text)
    await update.message.answer(text)  # expect: HAL101[answer]


async def who(update: Update, context: CallbackContext) -> None:
    user = update.from_user  # expect: HAL101[from_user]
    await update.effective_chat.send_text(f"You are {user}")  # expect: HAL101[send_text]


def main() -> None:
    application = Application.builder().token("TOKEN").use_context(True).build()  # expect: HAL101[use_context]
    application.add_handler(CommandHandler("remind", remind))
    application.add_handler(MessageHandler(filters.text & ~filters.command, echo))  # expect: HAL101[text], HAL101[command]
    application.add_handler(CommandHandler("who", who))

    app = Application.builder().token("TOKEN").build()
    app.dispatcher.add_handler(CommandHandler("echo", echo))  # expect: HAL101[dispatcher]
    app.start_polling()  # expect: HAL101[start_polling]
    app.idle()  # expect: HAL101[idle]


if __name__ == "__main__":
    main()
