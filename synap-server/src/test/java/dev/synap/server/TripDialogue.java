package dev.synap.server;

import java.util.List;

/** A small planning conversation with names, numbers, dates, a decision, a constraint and a repeated turn. */
final class TripDialogue {
  record Turn(String role, String content) {}

  static final List<Turn> TURNS = List.of(
      new Turn("user", "Hi there!"),
      new Turn("assistant", "Hello! How can I help you plan the trip?"),
      new Turn("user", "My sister Alice lives in Lisbon and her birthday is on 14 June 2024."),
      new Turn("assistant", "Noted. Alice lives in Lisbon and her birthday is on 14 June."),
      new Turn("user", "I prefer window seats and I love vegetarian food."),
      new Turn("user", "We decided to fly with TAP on flight 1234 from Berlin."),
      new Turn("assistant", "Great choice, flight 1234 leaves Berlin at 9:40."),
      new Turn("user", "The budget must stay under 2500 euros for the whole week."),
      new Turn("user", "I'm allergic to peanuts, so the restaurants need to know."),
      new Turn("user", "So we decided: fly with TAP on flight 1234 from Berlin!"),
      new Turn("assistant", "Understood. Shall I look at hotels near Alfama?"),
      new Turn("user", "Yes, something quiet near Alfama with a view of the Tagus river."),
      new Turn("assistant", "Hotel Solar do Castelo has 3 rooms left at 180 euros per night."),
      new Turn("user", "Book two nights there, from 13 June to 15 June."),
      new Turn("assistant", "Done: Solar do Castelo, 13-15 June, confirmation number 88231."),
      new Turn("user", "My colleague Bruno recommended the Gulbenkian museum."),
      new Turn("assistant", "The Gulbenkian is open Wednesday to Monday, tickets 14 euros."),
      new Turn("user", "Ok thanks."),
      new Turn("user", "Next I will need a dinner place for Alice's birthday, maybe Ramiro for seafood?"),
      new Turn("assistant", "Ramiro is popular; I will try to reserve a table for 4 at 20:00 on 14 June."));

  private TripDialogue() {}
}
