/**
 * The small words of attribution in the seven languages, folded (lower case, no accents): how the
 * press says that someone said something, and the words that mean the quotation is someone
 * else's (a question put to them, a character's line). Grammar, not topic: it lives with the code.
 */
const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

export const SPEECH_VERBS = words(`
  said says say saying told tells tell added adds explained explains noted notes wrote writes recalled recalls
  stated states declared declares continued continues laughed laughs admitted admits revealed reveals insisted
  insists joked jokes teased teases confirmed confirms shared shares posted replied replies answered answers
  remarked remarks commented comments quipped promised promises claimed claims suggested suggests argued argues
  relato relata relatou rememoro prosegue prosigue prossegue continua continuo ricorda ricordato lembra recorda promette promete promet
  erganzte erganzt prazisierte berichtete berichtet erinnert erinnerte versprach verspricht
  observed mused concluded tweeted exclaimed acknowledged acknowledges conceded emphasized emphasised stressed
  affirmed reflected hinted reiterated assured responded warned predicted announced enthused gushed offered
  smiled shouted yelled cried wrote posting published
  publico
  publicou
  publie
  veroffentlichte postete
  pubblicato pubblica
  grito exclamo reconocio reconoce admitio
  reconheceu reconhece
  reconnait concede avoue
  gestand gesteht
  riconosce riconosciuto
  gritou exclamou
  s'exclame crie
  rief ruft
  grido esclamo
  dijo dice decia afirmo afirma explico explica anadio anade agrego agrega comento comenta aseguro asegura
  senalo senala declaro declara conto cuenta revelo revela confeso confiesa admitio admite escribio escribe
  respondio responde insistio apunto apunta recordo recuerda bromeo sostuvo sostiene indico indica manifesto
  expreso subrayo destaco adelanto prometio confirmo confirma detallo preciso concluyo advirtio
  disse diz afirmou explicou acrescentou acrescenta comentou garantiu garante declarou contou revelou confessou
  admitiu escreveu respondeu brincou lembrou destacou ressaltou completou prometeu confirmou concluiu
  declare dit explique ajoute confie assure raconte souligne affirme precise reconnait admet ecrit repond lance
  poursuit glisse estime confirme indique plaisante sourit resume conclut insiste martele confiait expliquait
  sagte sagt erklarte erklart betonte betont meinte meint schrieb schreibt verriet verrat erzahlte erzahlt
  antwortete antwortet bestatigte bestatigt fugte fugt raumte raumt gab so scherzte lachte
  detto dichiarato dichiara spiegato spiega aggiunto aggiunge raccontato racconta affermato confessato confessa
  ammesso ammette scritto scrive risposto risponde sottolineato sottolinea rivelato rivela confermato conferma
  precisato precisa assicurato assicura commentato scherzato scherza osservato osserva concluso conclude
`);

/** Subject pronouns and the little words that may stand with a speech verb ("he added", "a-t-il déclaré", "ha detto"). */
export const PRONOUN_CLAUSE = words(`
  he she then later also again simply once has had was with a laugh
  el ella luego tambien entonces
  ele ela depois
  il elle t a alors ensuite encore
  er sie hat habe dann auch noch hinzu ein zu
  ha lui lei poi anche
`);

/** Words meaning "according to": the person named after them said the quotation. */
export const ACCORDING_TO = ['according to', 'in the words of', 'segun', 'selon', 'laut', 'secondo', 'segundo', 'nas palavras de', 'nelle parole di', 'en palabras de', 'zufolge', 'pour'];

/** A question put to someone: the quotation next to these words is the asker's. */
export const QUESTION_WORDS = words(`
  ask asked asks asking question questioned pregunto pregunta preguntado preguntamos pergunta perguntou perguntado
  perguntamos demande demandait question gefragt fragte fragt frage fragten chiesto chiede domanda domandato chiediamo
`);

/** A character's line, not a person's words. */
export const LINE_WORDS = words(`line lines dialogue quote-unquote replica frase fala falas fala replique dialog zeile satz battuta battute`);

/** Before a name, these make it an object ("with Cameron", "told to Rodriguez"), not the one who speaks. */
export const PREPOSITIONS = words(`
  with to for about of at by from on into like than
  con para sobre de a al del
  com para sobre de do da ao
  avec a pour sur de du chez
  mit fur uber von an bei zu gegenuber
  con per su di a al da
  asked told
`);

/** A clause with these between a name and the speech verb is about someone else speaking. */
export const CLAUSE_BREAKS = words(`when while as after before and but cuando mientras y pero quand pendant et mais als wahrend wenn und aber quando mentre e ma enquanto mas`);

/** After a quotation, "…”, which Landau shared": the name belongs to a relative clause, not to the attribution. */
export const RELATIVES = words(`which who whom que qui che cui quem welche`);

/** Words that may stand before a name without making it another person's ("director Rodriguez"). */
export const TITLES = words(`
  the an director filmmaker producer co-writer writer screenwriter actress actor star creator author mangaka
  oscar-winning legendary veteran mr ms mrs alita battle angel avatar titanic
  el la los las los director cineasta productor actriz autor creador guionista
  o os diretor produtor atriz criador roteirista
  le les l realisateur cineaste producteur actrice auteur createur scenariste
  der die das regisseur filmemacher produzent produzentin schauspielerin autor hauptdarstellerin star
  il lo gli regista produttore attrice autore creatore sceneggiatore
`);

/** Japanese: after 」 the quotative と, then a verb of saying; these mark a question or a line instead. */
export const JA_SPEECH = /^\s*(?:と|って)/u;
export const JA_NOT_SPEECH = /(?:質問|聞か|聞い|尋ね|問い|問わ|振られ|求め|セリフ|台詞|劇中)/u;
export const JA_HONORIFIC = /^(?:監督|氏|さん|プロデューサー|先生|は|が|、|：|:|\s)*/u;

export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
