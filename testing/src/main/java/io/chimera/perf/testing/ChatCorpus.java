package io.chimera.perf.testing;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic LLM-style chat-completion JSON bodies of a requested size: varied English built
 * from a vocabulary and sentence templates with a seeded random, plus the usual envelope (random
 * id, model, usage counts). No repeated filler: every sentence is drawn afresh.
 */
public final class ChatCorpus {

  private static final String[] NOUNS = {
    "cache",
    "request",
    "latency",
    "model",
    "prompt",
    "answer",
    "user",
    "service",
    "database",
    "query",
    "index",
    "token",
    "budget",
    "pipeline",
    "server",
    "client",
    "response",
    "error",
    "timeout",
    "queue",
    "worker",
    "thread",
    "benchmark",
    "report",
    "dashboard",
    "alert",
    "metric",
    "release",
    "feature",
    "customer",
    "team",
    "document",
    "paragraph",
    "summary",
    "example",
    "function",
    "variable",
    "parameter",
    "schema",
    "table",
    "column",
    "record",
    "file",
    "folder",
    "network",
    "packet",
    "browser",
    "library",
    "framework",
    "test",
    "deployment",
    "cluster",
    "region",
    "policy",
    "password",
    "account",
    "invoice",
    "payment",
    "order",
    "product",
    "price",
    "garden",
    "river",
    "mountain",
    "city",
    "village",
    "kitchen",
    "recipe",
    "bread",
    "coffee",
    "morning",
    "evening",
    "season",
    "weather",
    "journey",
    "story",
    "chapter",
    "character",
    "history",
    "science",
    "theory",
    "experiment",
    "result",
    "decision",
    "strategy",
    "market",
    "student",
    "teacher",
    "lesson",
    "question",
    "problem",
    "solution",
    "idea",
    "plan",
    "goal"
  };

  private static final String[] VERBS = {
    "improves",
    "reduces",
    "explains",
    "describes",
    "handles",
    "returns",
    "stores",
    "compresses",
    "measures",
    "tracks",
    "splits",
    "merges",
    "validates",
    "rejects",
    "retries",
    "schedules",
    "renders",
    "parses",
    "builds",
    "deploys",
    "monitors",
    "caches",
    "loads",
    "refreshes",
    "summarizes",
    "translates",
    "answers",
    "suggests",
    "compares",
    "connects",
    "protects",
    "simplifies",
    "highlights",
    "changes",
    "supports",
    "limits",
    "extends",
    "replaces",
    "covers",
    "follows",
    "creates",
    "removes",
    "updates",
    "checks",
    "prepares",
    "shapes",
    "guides"
  };

  private static final String[] ADJECTIVES = {
    "fast", "slow", "reliable", "simple", "complex", "large", "small", "recent", "stale",
    "expensive", "cheap", "useful", "careful", "robust", "fragile", "clear", "vague", "common",
    "rare", "modern", "legacy", "secure", "public", "private", "local", "remote", "shared",
    "quiet", "busy", "early", "late", "bright", "gentle", "practical", "detailed", "brief",
    "accurate", "surprising", "important", "minor", "typical", "unusual", "steady", "noisy"
  };

  private static final String[] ADVERBS = {
    "quickly", "carefully", "rarely", "often", "usually", "quietly", "clearly", "gradually",
    "immediately", "eventually", "safely", "roughly", "mostly", "barely", "openly", "slowly"
  };

  private static final String[] CONNECTIVES = {
    "However,", "In practice,", "For example,", "As a result,", "On the other hand,", "Finally,",
    "In short,", "Meanwhile,", "To be fair,", "Surprisingly,", "Because of this,", "Overall,"
  };

  private static final String[] MODELS = {
    "gpt-4o-2024-08-06", "claude-3-5-sonnet", "llama-3.1-70b-instruct", "mistral-large-2407"
  };

  private static final String ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private ChatCorpus() {}

  /** A chat-completion body of exactly {@code size} UTF-8 bytes (all ASCII), from {@code seed}. */
  public static byte[] body(int size, long seed) {
    Random r = new Random(seed);
    StringBuilder id = new StringBuilder("chatcmpl-");
    for (int i = 0; i < 29; i++) {
      id.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
    }
    String model = MODELS[r.nextInt(MODELS.length)];
    long created = 1_700_000_000L + r.nextInt(50_000_000);
    StringBuilder text = new StringBuilder();
    String head =
        "{\"id\":\""
            + id
            + "\",\"object\":\"chat.completion\",\"created\":"
            + created
            + ",\"model\":\""
            + model
            + "\",\"system_fingerprint\":\"fp_"
            + Long.toHexString(r.nextLong())
            + "\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"";
    int prompt = 20 + r.nextInt(2000);
    // The tail's digits vary with the token count; reserve its longest form and pad the text.
    int budget = size - head.length() - tail(prompt, 99_999).length();
    if (budget < 0) {
      throw new IllegalArgumentException("size " + size + " is below the envelope");
    }
    while (text.length() < budget) {
      appendSentence(text, r);
    }
    text.setLength(budget);
    if (budget > 0 && text.charAt(budget - 1) == '\\') {
      text.setCharAt(budget - 1, '.'); // never leave half an escape before the closing quote
    }
    int completion = Math.max(1, budget / 4);
    String tail = tail(prompt, completion);
    String json = head + text + tail;
    int pad = size - json.length();
    json = head + text + ".".repeat(Math.max(0, pad)) + tail;
    byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length != size) {
      throw new AssertionError("corpus body is " + bytes.length + " bytes, wanted " + size);
    }
    return bytes;
  }

  private static String tail(int prompt, int completion) {
    return "\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}";
  }

  private static void appendSentence(StringBuilder sb, Random r) {
    int kind = r.nextInt(10);
    if (kind == 0) {
      sb.append("\\n\\n");
      if (r.nextBoolean()) {
        sb.append("## ")
            .append(cap(pick(ADJECTIVES, r)))
            .append(' ')
            .append(pick(NOUNS, r))
            .append("s\\n\\n");
      }
      return;
    }
    if (kind == 1) {
      sb.append("\\n- **").append(cap(pick(NOUNS, r))).append("**: ");
    }
    if (r.nextInt(4) == 0) {
      sb.append(pick(CONNECTIVES, r)).append(' ');
    }
    switch (r.nextInt(6)) {
      case 0 ->
          sb.append("The ")
              .append(pick(ADJECTIVES, r))
              .append(' ')
              .append(pick(NOUNS, r))
              .append(' ')
              .append(pick(VERBS, r))
              .append(" the ")
              .append(pick(NOUNS, r))
              .append(" ")
              .append(pick(ADVERBS, r))
              .append('.');
      case 1 ->
          sb.append("A ")
              .append(pick(NOUNS, r))
              .append(" that ")
              .append(pick(VERBS, r))
              .append(" every ")
              .append(pick(NOUNS, r))
              .append(" is ")
              .append(pick(ADJECTIVES, r))
              .append(", but the ")
              .append(pick(NOUNS, r))
              .append(" is ")
              .append(pick(ADJECTIVES, r))
              .append('.');
      case 2 ->
          sb.append("When the ")
              .append(pick(NOUNS, r))
              .append(" is ")
              .append(pick(ADJECTIVES, r))
              .append(", your ")
              .append(pick(NOUNS, r))
              .append(' ')
              .append(pick(ADVERBS, r))
              .append(' ')
              .append(pick(VERBS, r))
              .append(" about ")
              .append(2 + r.nextInt(998))
              .append(' ')
              .append(pick(NOUNS, r))
              .append("s.");
      case 3 ->
          sb.append("You can ")
              .append(pick(VERBS, r).replaceAll("e?s$", "e"))
              .append(" the `")
              .append(pick(NOUNS, r))
              .append('_')
              .append(pick(NOUNS, r))
              .append("` with a ")
              .append(pick(ADJECTIVES, r))
              .append(' ')
              .append(pick(NOUNS, r))
              .append('.');
      case 4 ->
          sb.append("Why does the ")
              .append(pick(NOUNS, r))
              .append(' ')
              .append(pick(VERBS, r).replaceAll("e?s$", "e"))
              .append(" so ")
              .append(pick(ADVERBS, r))
              .append("? Mostly because the ")
              .append(pick(NOUNS, r))
              .append(" is ")
              .append(pick(ADJECTIVES, r))
              .append('.');
      default ->
          sb.append("In ")
              .append(1990 + r.nextInt(35))
              .append(", the ")
              .append(pick(ADJECTIVES, r))
              .append(' ')
              .append(pick(NOUNS, r))
              .append(' ')
              .append(pick(VERBS, r))
              .append(' ')
              .append(r.nextInt(100))
              .append("% of the ")
              .append(pick(NOUNS, r))
              .append("s in the ")
              .append(pick(NOUNS, r))
              .append('.');
    }
    sb.append(' ');
  }

  private static String pick(String[] words, Random r) {
    return words[r.nextInt(words.length)];
  }

  private static String cap(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
