"""Reminder bot on python-telegram-bot >= 20, with v13 keyword arguments left in."""

import os

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    Updater,
    filters,
)

TOKEN = os.environ.get("TELEGRAM_TOKEN", "123:abc")
ASK_TEXT, ASK_TIME = range(2)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = [[InlineKeyboardButton("New reminder", callback="new"), InlineKeyboardButton("List", callback_data="list")]]  # expect: HAL201[callback]
    await update.message.reply_text("<b>Hi!</b>", parse=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(keyboard))  # expect: HAL201[parse]


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    markup = ReplyKeyboardMarkup([["/new", "/list"]], resize=True)  # expect: HAL201[resize]
    await update.message.reply_text("Choose:", reply_markup=markup, timeout=20)  # expect: HAL201[timeout]


async def buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Working...", alert=True)  # expect: HAL201[alert]
    rows = [[InlineKeyboardButton("Cancel", callback_data="cancel")]]
    await query.edit_message_text("Pick a time", markup=InlineKeyboardMarkup(inline_keyboard=rows))  # expect: HAL201[markup]


async def list_reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(update.effective_chat.id, text="No reminders yet", silent=True)  # expect: HAL201[silent]
    await context.bot.send_chat_action(chat_id=update.effective_chat.id, typing=True)  # expect: HAL201[typing]


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    with open("reminders.csv", "rb") as fh:
        await context.bot.send_document(chat_id, document=fh, file_name="reminders.csv")  # expect: HAL201[file_name]
    with open("chart.png", "rb") as fh:
        await context.bot.send_photo(chat_id, image=fh, caption="This week")  # expect: HAL201[image]


async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(chat_id=context.job.chat_id, text=context.job.data)


async def schedule(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    context.job_queue.run_repeating(remind, interval=3600, first=10, context=chat_id)  # expect: HAL201[context]
    context.job_queue.run_once(remind, when=60, delay=5, chat_id=chat_id)  # expect: HAL201[delay]


def build_legacy() -> Updater:
    return Updater(TOKEN, use_context=True)  # expect: HAL201[use_context]


def build_bot() -> Bot:
    return Bot(TOKEN, parse_mode=ParseMode.HTML)  # expect: HAL201[parse_mode]


def build_conversation() -> ConversationHandler:
    return ConversationHandler(
        entry_points=[CommandHandler("new", start)],
        states={ASK_TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, menu)]},
        fallbacks=[CommandHandler("cancel", menu)],
        timeout=300,  # expect: HAL201[timeout]
    )


def build_application() -> Application:
    app = Application.builder(token=TOKEN).build()  # expect: HAL201[token]
    app.add_handler(CommandHandler("start", start, pass_args=True))  # expect: HAL201[pass_args]
    app.add_handler(CommandHandler("list", list_reminders, run_async=True))  # expect: HAL201[run_async]
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, menu, pass_user_data=True))  # expect: HAL201[pass_user_data]
    app.add_handler(CallbackQueryHandler(buttons, pass_chat_data=True))  # expect: HAL201[pass_chat_data]
    return app


def main() -> None:
    app = ApplicationBuilder().token(TOKEN).build()
    app.add_handler(CommandHandler("schedule", schedule), priority=1)  # expect: HAL201[priority]
    app.run_polling(clean=True)  # expect: HAL201[clean]


if __name__ == "__main__":
    main()
