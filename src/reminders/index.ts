export { type DueReminder, dueReminder, type ReminderOptions } from './due.js';
