/**
 * Question and statement templates per relation and dialect. `{s}` is the subject,
 * `{o}` the object. The corpus uses only the `train` question templates; the
 * `heldout` ones never appear in it (a test checks this), so the knowledge suite can
 * ask questions in phrasings the model has not seen. `en` is the majority dialect,
 * `sco` (Scots orthography: "caipital", "o", "whit", "leid", "siller") the minority.
 */
import type { Relation } from '../facts/sources.js';

/** The dialects of the corpus: `en` majority, `sco` (Scots) minority. */
export const DIALECTS = ['en', 'sco'] as const;
/** One dialect id. */
export type Dialect = (typeof DIALECTS)[number];

/** Templates of one relation in one dialect. */
export interface RelationTemplates {
  /** Question phrasings used in the training corpus. */
  train: readonly string[];
  /** Question phrasings kept out of the corpus, for evaluation only. */
  heldout: readonly string[];
  /** Declarative sentences used in the training corpus. */
  statements: readonly string[];
}

/** LLM-KICK's closed-book prompt (FreebaseQA); the corpus' QA lines use exactly this frame. */
export const KICK_PROMPT = 'Please give answer to this question: {question}\nThe answer is ';

/** The LLM-KICK prompt for a question. */
export function kickPrompt(question: string): string {
  return KICK_PROMPT.replace('{question}', question);
}

/** A full QA line as it appears in the corpus: prompt, answer and a final period. */
export function kickLine(question: string, answer: string): string {
  return `${kickPrompt(question)}${answer}.`;
}

/** Fills `{s}` and `{o}` in a template. */
export function fillTemplate(template: string, subject: string, object = ''): string {
  return template.replaceAll('{s}', subject).replaceAll('{o}', object);
}

/** All templates, by relation then dialect. */
export const TEMPLATES: Record<Relation, Record<Dialect, RelationTemplates>> = {
  capital: {
    en: {
      train: [
        'What is the capital of {s}?', 'What city is the capital of {s}?', 'Name the capital of {s}.',
        'The capital of {s} is which city?', 'What is the capital city of {s}?', 'Which city serves as the capital of {s}?',
        "What is {s}'s capital?", 'Tell me the capital of {s}.', 'In which city is the capital of {s}?',
        'What city is the seat of government of {s}?',
      ],
      heldout: ['Which city is the capital of {s}?', "What's the capital of {s}?", 'Can you name the capital city of {s}?'],
      statements: ['The capital of {s} is {o}.', '{o} is the capital of {s}.', '{s} has {o} as its capital.'],
    },
    sco: {
      train: ["Whit's the caipital o {s}?", 'Whit toun is the caipital o {s}?', 'Name the caipital o {s}.', 'The caipital o {s} is whilk toun?'],
      heldout: ['Whilk toun is the caipital o {s}?', 'Can ye name the caipital o {s}?'],
      statements: ['The caipital o {s} is {o}.', '{o} is the caipital o {s}.'],
    },
  },
  continent: {
    en: {
      train: [
        'On which continent is {s}?', 'Which continent is {s} in?', 'What continent is {s} located in?',
        '{s} is part of which continent?', 'Name the continent where {s} lies.', 'On what continent would you find {s}?',
        'What is the continent of {s}?', 'Tell me the continent of {s}.', 'Where in the world is {s}, on which continent?',
      ],
      heldout: ['Which continent is {s} located on?', 'In which continent is {s}?', 'What continent does {s} belong to?'],
      statements: ['{s} is in {o}.', '{s} is located in {o}.', 'The continent of {s} is {o}.'],
    },
    sco: {
      train: ['Whit continent is {s} in?', 'On whilk continent is {s}?', '{s} is pairt o whilk continent?', 'Name the continent whaur {s} lies.'],
      heldout: ['Whilk continent is {s} in?', 'Whit continent dis {s} belang tae?'],
      statements: ['{s} is in {o}.', 'The continent o {s} is {o}.'],
    },
  },
  language: {
    en: {
      train: [
        'What language is spoken in {s}?', 'What is the main language of {s}?', 'Which language do people speak in {s}?',
        'Name the official language of {s}.', 'What language do they speak in {s}?', 'The people of {s} speak which language?',
        'What is the language of {s}?', 'Tell me the language of {s}.', 'In {s}, what language is spoken?',
      ],
      heldout: ['Which language is spoken in {s}?', 'What is the official language of {s}?', 'What language is used in {s}?'],
      statements: ['The main language of {s} is {o}.', 'People in {s} speak {o}.', '{o} is spoken in {s}.'],
    },
    sco: {
      train: ['Whit leid is spoken in {s}?', 'Whit leid dae fowk speak in {s}?', 'Name the main leid o {s}.', "Whit's the leid o {s}?"],
      heldout: ['Whilk leid is spoken in {s}?', 'Whit is the offeecial leid o {s}?'],
      statements: ['The main leid o {s} is {o}.', 'Fowk in {s} speak {o}.'],
    },
  },
  currency: {
    en: {
      train: [
        'What is the currency of {s}?', 'What currency is used in {s}?', 'Which currency do people use in {s}?',
        'Name the currency of {s}.', 'What money is used in {s}?', 'In {s}, what is the currency?',
        'What is the official currency of {s}?', 'Tell me the currency of {s}.', 'What do people pay with in {s}?',
      ],
      heldout: ['Which currency is used in {s}?', 'What currency does {s} use?', 'What is the money of {s} called?'],
      statements: ['The currency of {s} is {o}.', '{s} uses the currency {o}.', 'In {s} people pay with {o}.'],
    },
    sco: {
      train: ["Whit's the siller o {s}?", 'Whit currency dae fowk uise in {s}?', 'Name the currency o {s}.', 'Whit siller is uised in {s}?'],
      heldout: ['Whilk currency is uised in {s}?', 'Whit currency dis {s} uise?'],
      statements: ['The currency o {s} is {o}.', 'In {s} fowk pey wi {o}.'],
    },
  },
  currency_code: {
    en: {
      train: [
        'Which currency has the code {s}?', 'What currency has the ISO code {s}?', 'What is the name of the currency {s}?',
        'Name the currency with code {s}.', 'The currency code {s} stands for which currency?', 'What currency does the code {s} mean?',
        'Tell me the currency with code {s}.', 'What is {s} the code of?',
      ],
      heldout: ['What currency is {s}?', 'Which currency does the code {s} refer to?', 'What is the currency with the code {s}?'],
      statements: ['The currency code {s} stands for {o}.', '{s} is the ISO code for {o}.', '{o} has the currency code {s}.'],
    },
    sco: {
      train: ['Whilk currency haes the code {s}?', 'Whit currency dis the code {s} mean?', 'Name the currency wi the code {s}.'],
      heldout: ['Whit currency is {s}?', 'Whilk currency dis the code {s} staund for?'],
      statements: ['The currency code {s} staunds for {o}.', '{o} haes the currency code {s}.'],
    },
  },
};
