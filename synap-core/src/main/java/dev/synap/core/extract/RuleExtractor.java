package dev.synap.core.extract;

import dev.synap.core.entity.EntityType;
import dev.synap.core.model.Evidence;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import dev.synap.core.time.TemporalResolver;
import dev.synap.core.time.TimeSpan;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The default offline extractor: splits a turn into sentences, drops questions, chit-chat and
 * retractions, classifies what is left ({@link SentenceClassifier}), resolves its time against
 * the message's own timestamp and rewrites it as a standalone third-person statement.
 *
 * <p>Message metadata it reads: {@code speaker} (the name "I" stands for), {@code participants}
 * (comma-separated other names in the conversation) and {@code timezone} (an IANA zone for
 * resolving "yesterday"; UTC otherwise).
 */
public final class RuleExtractor implements Extractor {
  /** Sentences of at least this many words carry information whoever they are about. */
  static final int INFORMATIVE_WORDS = 6;
  private static final Pattern SELF = Pattern.compile("\\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|we'd|our|us)\\b");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
  private final SentenceSplitter splitter = new SentenceSplitter();
  private final SentenceClassifier classifier = new SentenceClassifier();
  private final TemporalResolver resolver = new TemporalResolver();
  private final Perspective perspective = new Perspective();
  private final MentionFinder mentions = new MentionFinder();
  private final RetractionCues retractions = new RetractionCues();
  private final List<Pattern> chitchat = Lexicon.patterns("chitchat.txt");
  private final Set<String> impliedSubjectVerbs = Set.copyOf(Lexicon.lines("episode-verbs.txt").stream().map(String::strip).toList());
  private final StrictTyping typing = new StrictTyping();
  private final boolean strictTypes;

  /** The shipped extractor: strict typed memories, every other informative sentence kept as evidence. */
  public RuleExtractor() {
    this(true);
  }

  /**
   * @param strictTypes false restores the loose typing of before issue #20 (every informative
   *     sentence a typed memory, a plain fact when no cue says otherwise): the ablation baseline
   */
  public RuleExtractor(boolean strictTypes) {
    this.strictTypes = strictTypes;
  }

  @Override
  public List<ExtractedMemory> extract(Message message) {
    String kind = message.kind() == null ? "message" : message.kind();
    if (message.content() == null || !(kind.equals("message") || kind.equals("document"))) return List.of();
    // A document speaks in the third person: every informative sentence counts, not only the speaker's.
    boolean document = kind.equals("document");
    Map<String, String> meta = message.metadata() == null ? Map.of() : message.metadata();
    String speaker = blankToNull(meta.get("speaker"));
    Set<String> people = new HashSet<>();
    if (speaker != null) people.add(speaker);
    for (String p : meta.getOrDefault("participants", "").split(",")) if (!p.isBlank()) people.add(p.strip());
    LocalDate anchor = message.occurredAt().atZone(zone(meta.get("timezone"))).toLocalDate();

    List<ExtractedMemory> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    TimeSpan context = null;
    for (String raw : splitter.split(message.content())) {
      String sentence = withImpliedSubject(raw);
      String lower = sentence.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
      TimeSpan own = resolver.resolve(sentence, anchor).orElse(null);
      // A time set by an earlier sentence of the turn ("Guess what I did this week? I applied...") carries over.
      TimeSpan span = own != null ? own : context;
      if (own != null) context = own;
      if (!keeps(lower, document)) continue;
      var cued = classifier.classify(lower, span, anchor);
      // Without a typed cue the sentence is still kept, as a plain statement (evidence when strict).
      var c = cued.orElse(new SentenceClassifier.Classification(MemoryType.FACT, 0.6, null, Map.of(), span));
      String content = statement(perspective.rewrite(sentence, speaker), c.span());
      if (!seen.add(content)) continue;
      List<Mention> found = mentions.find(sentence, people);
      ExtractedMemory memory = memory(c, content, found, speaker, anchor);
      boolean typed = !strictTypes || typing.typed(lower, cued.map(SentenceClassifier.Classification::type).orElse(null), found, speaker, document);
      out.add(typed ? memory : asEvidence(memory));
    }
    return out;
  }

  /** Chat drops the subject ("Started a new job today."): a sentence opening with a past-tense verb is the speaker's. */
  private String withImpliedSubject(String sentence) {
    int space = sentence.indexOf(' ');
    if (space < 0) return sentence;
    String first = sentence.substring(0, space).toLowerCase(Locale.ROOT);
    return impliedSubjectVerbs.contains(first) ? "I " + first + sentence.substring(space) : sentence;
  }

  /** Questions, chit-chat, retractions and sentences not about the speaker carry no memory. */
  private boolean keeps(String lower, boolean document) {
    if (lower.endsWith("?") || lower.split("\\s+").length < 3) return false;
    if (retractions.detect(lower).isPresent()) return false;
    // Statements to the other party or about someone else count when they say enough to stand
    // alone: in a conversation they are what was said about the people in it.
    boolean about = document || SELF.matcher(lower).find() || lower.split("\\s+").length >= INFORMATIVE_WORDS;
    if (!about) return false;
    String bare = lower.replaceAll("[.!]+$", "");
    boolean chat = chitchat.stream().anyMatch(p -> p.matcher(bare).matches());
    return !chat || bare.split("\\s+").length > 10;
  }

  /**
   * The sentence as source evidence: a plain statement that keeps its time and mentions, so that
   * retrieval finds it as before, but drops what only a typed memory carries.
   */
  private static ExtractedMemory asEvidence(ExtractedMemory m) {
    Map<String, Object> attrs = new LinkedHashMap<>(m.attributes());
    for (String typedOnly : List.of("attribute_key", "attribute_value", "preference_direction", "strength", "emotion", "intensity", "significance",
        "summary", "occurred_at", "participants")) {
      attrs.remove(typedOnly);
    }
    String temporal = m.eventDate() != null ? "temporal_fact" : "perpetual";
    return new ExtractedMemory(MemoryType.FACT, m.content(), m.confidence(), null, Evidence.mark(attrs), m.eventDate(), temporal);
  }

  private ExtractedMemory memory(SentenceClassifier.Classification c, String content, List<Mention> found, String speaker, LocalDate anchor) {
    Map<String, Object> attrs = new LinkedHashMap<>(c.attributes());
    List<Map<String, String>> mentionList = new ArrayList<>();
    Set<String> participants = new LinkedHashSet<>();
    if (speaker != null) mentionList.add(Map.of("name", speaker, "type", "person"));
    for (Mention m : found) {
      if (m.name().equals(speaker)) continue;
      mentionList.add(Map.of("name", m.name(), "type", m.type().wireName()));
      if (m.type() == EntityType.PERSON || m.type() == EntityType.PET) participants.add(m.name());
    }
    if (!mentionList.isEmpty()) attrs.put("mentions", mentionList);
    String subject = speaker != null ? speaker : found.isEmpty() ? null : found.getFirst().name();
    if (subject != null) attrs.put("subject", subject);
    TimeSpan span = c.span();
    String eventDate = null;
    if (span != null) {
      eventDate = span.start().toString();
      attrs.put("valid_from", span.start().toString());
      attrs.put("event_end", span.end().toString());
      attrs.put("granularity", span.granularity().wireName());
      attrs.put("time_expression", span.expression());
    } else {
      attrs.put("valid_from", anchor.toString());
    }
    if (c.type() == MemoryType.EPISODE) {
      attrs.put("summary", content);
      attrs.put("occurred_at", span != null ? span.start().toString() : anchor.toString());
      if (speaker != null) participants.add(speaker);
      attrs.put("participants", List.copyOf(participants));
    }
    String temporal = switch (c.type()) {
      case EPISODE -> "episode";
      case TEMPORAL_EVENT, EMOTION -> "temporal_fact";
      default -> span != null ? "temporal_fact" : "perpetual";
    };
    return new ExtractedMemory(c.type(), content, c.confidence(), c.category(), Map.copyOf(attrs), eventDate, temporal);
  }

  /** The rewritten sentence, with the resolved date appended so the statement stands alone. */
  private static String statement(String rewritten, TimeSpan span) {
    if (span == null) return rewritten;
    String when = switch (span.granularity()) {
      case DAY -> "on " + span.start().format(DAY);
      case WEEK -> "in the week of " + span.start().format(DAY);
      case MONTH -> "in " + span.start().format(MONTH);
      case SEASON -> "in " + season(span) + " " + span.start().getYear();
      case YEAR -> "in " + span.start().getYear();
    };
    String body = rewritten.replaceAll("[.!]+$", "");
    return body + " (" + when + ")" + (rewritten.endsWith("!") ? "!" : ".");
  }

  private static String season(TimeSpan span) {
    return switch (span.start().getMonthValue()) {
      case 3 -> "spring";
      case 6 -> "summer";
      case 9 -> "autumn";
      default -> "winter";
    };
  }

  private static ZoneId zone(String id) {
    if (id == null || id.isBlank()) return ZoneOffset.UTC;
    try {
      return ZoneId.of(id.strip());
    } catch (RuntimeException e) {
      return ZoneOffset.UTC;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
