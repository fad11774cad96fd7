"""python-telegram-bot >= 20 code; handlers are exercised offline on a fake Update.

`Bot.sendMessage` (camelCase) still exists as an alias in v20+; `filters.TEXT` and
`filters.COMMAND` are upper-case instances; `ParseMode` lives in telegram.constants.
"""

import asyncio
import datetime
import logging

import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.helpers import escape_markdown, mention_html

log = logging.getLogger(__name__)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Help", callback_data="help")]])
    context.user_data["started"] = True
    await update.message.reply_text(
        f"Hello {mention_html(user.id, user.first_name)}", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def echo(update: Update, context: CallbackContext) -> None:
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    await update.effective_message.reply_text(escape_markdown(update.message.text, version=2))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(f"Selected: {query.data}")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if isinstance(context.error, (Forbidden, BadRequest)):
        log.warning("telegram refused: %s", context.error.message)


def build(token: str) -> Application:
    application = ApplicationBuilder().token(token).concurrent_updates(True).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, echo))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_error_handler(on_error)
    return application


def fake_update(text: str) -> Update:
    chat = telegram.Chat(id=1, type=ChatType.PRIVATE)
    user = telegram.User(id=2, first_name="Ann", is_bot=False)
    message = telegram.Message(
        message_id=1, date=datetime.datetime.now(datetime.timezone.utc), chat=chat, from_user=user, text=text
    )
    return Update(update_id=1, message=message)


def run_forever(token: str) -> None:
    """Never called offline."""
    build(token).run_polling(allowed_updates=Update.ALL_TYPES)


def main() -> None:
    application = build("123:abc")
    update = fake_update("hello")
    print(update.effective_chat.id, update.effective_user.first_name, update.message.chat_id, update.message.text)
    print(filters.TEXT.check_update(update), filters.Regex("ell").check_update(update), filters.PHOTO.check_update(update))
    print(application.bot.token, len(application.handlers[0]), telegram.Bot.sendMessage is not None)
    context = CallbackContext(application)
    print(context.bot is application.bot, context.bot_data, context.application is application)
    print(Update.de_json(update.to_dict(), application.bot).update_id, update.message.to_dict()["text"])
    print(asyncio.iscoroutinefunction(start), callable(Application.builder), callable(run_forever))


if __name__ == "__main__":
    main()
