/**
 * What the topic rule knows, kind by kind, in the seven languages of the bot's sources. Each
 * phrasing here was written for this test, not taken from a labelled set: a kind the rule only
 * knew by one headline would fail its neighbours.
 */
import { describe, expect, it } from 'vitest';
import { mayMention } from '../src/engine/mentions.ts';
import { judge } from '../src/engine/relevance.ts';
import { loadTopic } from '../src/engine/topic.ts';

const topic = loadTopic();
const onTopic = (title: string, summary = '') => judge({ title, summary }, topic).relevant;
/** An item of a feed about Alita (the subreddit, a fan club's blog). */
const inFanFeed = (title: string, summary = '') => judge({ title, summary }, topic, { aboutAlita: 'flagged as about Alita' }).relevant;

describe('sequel news in every language', () => {
  it.each([
    'Rodriguez says the Alita follow-up script is finished',
    'Is Alita 2 finally happening? What we know',
    'Jon Landau gives update on a second Alita: Battle Angel movie',
    'Alita – Fortsetzung offiziell bestätigt',
    'Kommt ein zweiter Alita-Film? Christoph Waltz wäre dabei',
    'Alita: Angelo della battaglia 2 si farà, parola di Cameron',
    'Il seguito di Alita è ancora possibile secondo Rodriguez',
    'Alita - Angelo della battaglia avrà un seguito? Parla Landau',
    'Alita: Ángel de batalla tendrá secuela, según Jon Landau',
    'Une suite d’Alita: Battle Angel est toujours en discussion',
    'Un deuxième Alita ? James Cameron répond',
    'Rodriguez quer fazer a sequência de Alita: Anjo de Combate',
    '『アリータ』続編の脚本が完成、ロドリゲス監督が明かす',
    '映画『アリータ：バトル・エンジェル』2作目の製作が決定',
    'キャメロン、『アリータ』次回作に意欲',
    'ロドリゲス監督「アリータの物語はまだ終わっていない」',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));
});

describe('coming back, bound to the film or its star', () => {
  it.each([
    'Rosa Salazar wants to step back into the cyborg body for another Alita',
    'Rosa Salazar is ready to suit up as Alita again',
    'Christoph Waltz would gladly return as Dr. Ido',
    'Rosa Salazar: „Ich würde sofort wieder Alita spielen“',
    'James Cameron quiere volver al mundo de Alita',
    'Keean Johnson ne dirait pas non à un retour à Iron City',
    'Alita 2: Rosa Salazar diz que voltaria ao papel',
    'ローサ・サラザール「もう一度アリータを演じたい」',
    'ローサ・サラザール、アリータ役への復帰に意欲',
    'Rosa Salazar über eine mögliche Rückkehr als Alita',
    'Cameron: "We will make another one" — Alita producer teases more of Iron City',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  it.each([
    'Alita: Battle Angel returns to Netflix this month',
    'Alita: Battle Angel vuelve a los cines por su aniversario',
    'Alita: Anjo de Combate está de volta à Netflix',
    '『アリータ』を地上波で再び放送へ',
    'Alita: Battle Angel director Robert Rodriguez returns with Spy Kids: Armageddon sequel',
    'Alita: Battle Angel torna in TV stasera su Italia 1',
    'Alita: Battle Angel star Rosa Salazar joins Avatar sequel cast',
  ])('not a re-release or another film: %s', (title) => expect(onTopic(title)).toBe(false));
});

describe('a feed about Alita: its items need only the sequel', () => {
  it.each([
    'Do you think we will ever get a sequel?',
    'If they ever make a part 2 I want to see the Motorball league',
    'Ich hoffe so sehr auf einen zweiten Teil',
    'Wann kommt endlich Teil zwei?',
    'Quién más firmó la petición?',
    '¿Habrá continuación algún día?',
    'On a besoin d’une suite !',
    'Spero che facciano il secondo film prima o poi',
    'Queremos a continuação!',
    '続編まだかな',
    '2作目でザレムが描かれてほしい',
  ])('%s', (title) => expect(inFanFeed(title)).toBe(true));

  it.each([
    'Rewatched it tonight, still amazing',
    'Teil 2 meiner Analyse: die Motorball-Szene',
    'Segunda parte de mi review: la música',
    'Ma critique, deuxième partie : les effets spéciaux',
    'Alita cosplay at Comic-Con, part 2 of my photos',
    'Finalmente ho comprato il Blu-ray 4K',
    '聖地巡礼してきました（後編）',
    'Just finished Last Order. What a sequel to the manga!',
  ])('but not everything in it: %s', (title) => expect(inFanFeed(title)).toBe(false));

  it('and elsewhere such an item names nothing', () => {
    expect(onTopic('Do you think we will ever get a sequel?')).toBe(false);
  });
});

describe('false alarms', () => {
  it.each([
    'Alita 2 wireless earbuds review: great bass, weak battery',
    'Alita 2 : le nouveau casque sans fil testé',
    'Alita 2, il nuovo monopattino elettrico arriva in Italia',
    'Die neue Alita 2 Kamera im Test',
    'Alita 2: la nueva tablet económica ya está a la venta',
    'Alita 2 é o novo celular barato da marca',
    '新型タブレット「アリータ2」発売へ',
  ])('a product named Alita 2: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    "Singer Jade Rivers drops 'Alita Part 2', the sequel to her viral track",
    'Le groupe Lune Noire sort « Alita 2 », la suite de leur tube',
    "La escritora Marta Ruiz anuncia la secuela de su novela 'Alita'",
  ])('a song or a book named Alita getting a follow-up: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'Alita: Battle Angel at five — part two of our retrospective',
    'Alita: Battle Angel, l’analyse (deuxième partie)',
    'Alita: Battle Angel – Making-of, Teil 2',
    'Alita: Ángel de combate, el rodaje – parte 2',
  ])('part 2 of an article series: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'À la suite du succès de Alita sur Netflix, le film revient en salles',
    'Alita: Battle Angel : la suite de notre programme télé de la semaine',
    'Alita: Battle Angel ha un grande seguito sui social',
    'A seguito della messa in onda di Alita, ascolti record',
    'Fortsetzung folgt: Unsere Alita-Reihe geht nächste Woche weiter',
    'Alitalia, la Fortsetzung einer Pleite',
  ])('suite, seguito, Fortsetzung that mean something else: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'La próxima película de Rosa Salazar, estrella de Alita, ya tiene fecha',
    "Alita star Keean Johnson's next movie is a horror film",
    'Il prossimo film di Christoph Waltz, dopo Alita, sarà un thriller',
    'Der nächste Film von Rosa Salazar (Alita) startet im Mai',
    'アリータ役ローサ・サラザールの次回作はホラー映画',
  ])("an actor's next film: %s", (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'After Alita, Robert Rodriguez plans a new one: a Spy Kids reboot',
    'Rodriguez (Alita) prepara uno nuevo: el reinicio de Machete',
  ])("a director's reboot described as a new one: %s", (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'Gunnm: Mars Chronicle, the manga sequel to Battle Angel Alita, ends',
    'Battle Angel Alita: Last Order gets a new deluxe edition',
    '銃夢火星戦記、最終巻が発売',
    '木城ゆきと『銃夢火星戦記』の続きが連載再開',
    'La suite du manga Gunnm, Last Order, rééditée',
  ])('a manga continuation is not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));
});

describe('sequel talk without a sequel word (second tuning round)', () => {
  // Return of Alita, Alita isn't dead, we're not done, the story goes on, her future, willing to
  // return as a character, reprising a role, fans rescuing a flop: each in all seven languages.
  it.each([
 'Rodriguez hints at the return of Alita after Avatar wraps',
 'Kommt jetzt Alitas Rückkehr? Landau macht Hoffnung',
 'Le retour d’Alita ? Rosa Salazar y croit encore',
 'El regreso de Alita, más cerca según Jon Landau',
 'Il ritorno di Alita? Rodriguez non lo esclude',
 'O retorno de Alita está nos planos de Cameron',
 'Alita’s comeback is still on the table, says Landau',
 'Landau: Alita is not dead, just waiting',
 'Rodriguez: „Alita ist nicht tot“',
 'Cameron asegura que Alita no está muerta',
 'Selon Landau, Alita n’est pas morte',
 'Landau: «Alita non è morta»',
 'Rodriguez garante que Alita não está morta',
 'Rodriguez: we are not done with Alita yet',
 'Cameron: „Mit Alita sind wir noch nicht fertig“',
 'Rodriguez: «Con Alita no hemos terminado»',
 'Landau: « Avec Alita, on n’a pas fini »',
 'Rodriguez: «Com Alita ainda não acabou»',
 'ロドリゲス監督「アリータの物語にはまだ続きがある」',
 'Zalem wartet: Rodriguez erklärt, wie es mit Alita weitergehen könnte',
 'Rosa Salazar talks about the future of Alita',
 'Christoph Waltz sobre el futuro de Alita: "Depende de Disney"',
 'Rosa Salazar évoque l’avenir d’Alita',
 'Keean Johnson parla del futuro di Alita',
 'Die Zukunft von Alita liegt bei Disney',
 'Rosa Salazar sobre o futuro de Alita',
 'Rosa Salazar would slip back into the cyborg suit tomorrow',
 'Rosa Salazar würde sofort wieder in die Rolle der Cyborg-Kriegerin schlüpfen',
 'Christoph Waltz listo para volver como Dr. Ido',
 'Christoph Waltz pronto a tornare nei panni del dottor Ido',
 'Christoph Waltz prêt à revenir en docteur Ido',
 'クリストフ・ヴァルツ、イド博士役を再演へ',
 'ローサ・サラザール、アリータ役再演に意欲',
 'How the Alita Army wants to rescue a box-office flop',
 'Los fans de Alita quieren salvar la saga',
 'Les fans d’Alita veulent sauver le film',
 'I fan di Alita vogliono salvare il film',
 'Os fãs de Alita querem salvar a franquia',
 'Alita-Fans wollen den Film retten',
 '『アリータ』続きはあるのか ロドリゲス監督が語る',
 'ノヴァ役エドワード・ノートン、続編で本格登場か',
 '“アイアンシティ”に再び 『アリータ』新企画の噂',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  // In a feed about Alita: what comes after the final scene, a cast member's tease, what a second
  // film would need.
  it.each([
 'What happens after the final scene? My theory',
 'Was passiert nach der Schlussszene?',
 '¿Qué pasa después de la escena final?',
 'Et après la scène finale ?',
 'Cosa succede dopo il finale?',
 'O que acontece depois da cena final?',
 'Rosa Salazar just posted a Motorball helmet. Am I reading too much into it?',
 'Rodriguez shared a set photo, suspicious timing',
 'Rodriguez postou foto do set, timing suspeito',
 'First film made 405M. What would a second need to break even?',
 'Der erste spielte 400 Millionen ein, was ein zweiter bräuchte, ist unklar',
  ])('in a feed about Alita: %s', (title) => expect(inFanFeed(title)).toBe(true));

  // Merchandise waves, "seguito" as a following, an Alita actor joining another classic's sequel,
  // a re-release, Spanish chicken wings.
  it.each([
 'Neue Alita-Figur von Hot Toys: die zweite Welle kommt',
 'アリータのフィギュア第2弾が発売決定',
 'Alita figure second wave announced by Hot Toys',
 'Nueva figura de Alita, segunda ola',
 'Gunnm ha un seguito enorme in Giappone',
 'Il manga Gunnm ha avuto un seguito in tutto il mondo',
 'Rosa Salazar (Alita) se une a la secuela de un clásico del terror',
 'Jennifer Connelly (Alita) rejoint la suite d’un classique des années 80',
 'Jennifer Connelly (Alita) si unisce al seguito di un classico',
 'Rosa Salazar (Alita) joins the sequel to an 80s classic',
 'Alita: Battle Angel returns to theaters for the anniversary',
 'Alitas Rückkehr ins Kino zum Jubiläum',
 'Receta: alitas de pollo, segunda parte',
 'Alita: Battle Angel ist zurück in den Kinos',
  ])('not the sequel: %s', (title) => expect(onTopic(title)).toBe(false));
});

describe('third tuning round: becoming Alita again, local names of Iron City, namesakes nearby', () => {
  it.each([
    'Rosa Salazar: «Mañana mismo volvería a ser Alita»',
    'Rosa Salazar sonha em voltar a viver Alita nos cinemas',
    'Rosa Salazar adorerait être Alita à nouveau',
    'Christoph Waltz aimerait retrouver Iron City avec Rodriguez',
    'Christoph Waltz quiere volver a la Ciudad de Hierro',
    'Keean Johnson toparia voltar à Cidade de Ferro',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  it('an app named three sentences after Alita does not make Alita an app', () => {
    const summary = 'The link is pinned. If you already signed, share it. Post it in your WhatsApp groups too.';
    expect(inFanFeed('Petition for Alita 2 just passed 200k', summary)).toBe(true);
  });

  it.each([
    'Escucha «Alita 2», el nuevo tema del trapero Kaze',
    'Le rappeur Zed dévoile « Alita 2 »',
    'Gunnm: il nuovo volume del seguito di Alita Last Order arriva a marzo',
    'The sequel to Alita: Mars Chronicle continues in volume 9',
    'Nesta segunda, a TV exibe Alita: Anjo de Combate',
    'Toda segunda Alita na Sessão da Tarde?',
  ])('not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));
});

describe('fourth tuning round: the next one in fan talk, coming back in other words, doors left open, local names, namesakes', () => {
  // In a feed about Alita, "next time", "the second one", casting wishes mean the next film.
  it.each([
    'Who would you cast as Jashugan next time around?',
    'Fancast thread: who plays Zapan in the next one?',
    'Para la próxima vez quiero más Motorball',
    'La prochaine fois, j’espère qu’on verra Zalem de l’intérieur',
    'Spero che la prossima volta ci facciano vedere Zalem',
    'Na próxima quero ver a Alita em Zalem',
    'Beim nächsten Mal bitte mehr Motorball',
    '次作ではザレムの中が見たい',
    '次でノヴァとの決着つけてほしい',
    'Ci sono novità sul secondo?',
    '¿Algo nuevo del segundo?',
    'Keean told a fan he would come back as Hugo in a heartbeat',
    'Rosa volvería mañana mismo, lo dijo en un podcast',
  ])('in a feed about Alita: %s', (title) => expect(inFanFeed(title)).toBe(true));

  it.each([
    'Next time I rewatch it, I will bring popcorn',
    'Rewatched it on TV, next time I will watch it in 4K',
    'Mi cosplay de Alita, la próxima vez con la espada',
  ])('but not a rewatch or a costume in the fan feed: %s', (title) => expect(inFanFeed(title)).toBe(false));

  // Coming back without "return": putting the suit back on, doing it again, waiting for the call.
  it.each([
    'Rosa Salazar would happily get back into the mocap suit for Alita',
    'Rosa Salazar: «Volvería a ponerme el traje de Alita sin dudar»',
    'Rosa Salazar: «Remettre la combinaison d’Alita ? Demain s’il le faut»',
    'Rosa Salazar non vede l’ora di rimettersi la tuta di Alita',
    'Rosa Salazar würde erneut in den Anzug von Alita schlüpfen',
    'Christoph Waltz über Alita: „Wenn Cameron anruft, sage ich zu“',
    'Christoph Waltz sobre Alita: si Rodriguez me llama, vuelvo',
    'Keean Johnson (Alita) : « Si Cameron m’appelle, je fonce »',
    'Jennifer Connelly (Alita) aspetta la chiamata di Rodriguez',
    'Rosa Salazar (Alita) se dice lista a repetir como la guerrera cyborg',
    'Alita: Battle Angel – Christoph Waltz würde es wieder tun',
    'Rosa Salazar rempilerait pour Alita sans hésiter',
    'Alita, Rosa Salazar: «Lo rifarei subito»',
    'Rosa Salazar: „Ich vermisse diese Figur“ – eine Rückkehr als Alita schließt sie nicht aus',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  // Not closing the door, not forgotten, not over, her world still waiting.
  it.each([
    'Disney laisse la porte ouverte à Alita',
    'Alita: Disney deja la puerta abierta',
    'Alita, la Disney lascia la porta aperta',
    'Disney não fecha a porta para Alita',
    'Studio exec on Alita: never say never',
    'Alita : pour Rodriguez, ce n’est pas un dossier clos',
    'Alita: para Landau no es un caso cerrado',
    'Alita: Rodriguez dice che non è un caso chiuso',
    'Rodriguez sobre Alita: não dissemos a última palavra',
    'Rodriguez: we have not forgotten Alita',
    'Cameron: „Alita haben wir nicht vergessen“',
    'Rodriguez: «Zalem todavía nos espera»',
    'Cameron: Iron City is still waiting for us',
    'Landau wanted to finish Alita’s story, says Cameron',
    'Cameron: «Vogliamo finire la storia di Alita»',
    'Rodriguez und Cameron wollen bei Alita weitermachen',
    'ロドリゲス、アイアンシティ再訪に意欲',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  // Local names: Ciudad Hierro, Gally / ガリィ, the Quebec title, Kishiro's cyborg.
  it.each([
    'Rodriguez quiere volver a Ciudad Hierro antes de 2030',
    'Cameron veut revenir à Iron City après Avatar',
    'Alita : Ange conquérant aura-t-il une suite?',
    'ローサ・サラザール、またガリィを演じたい',
    'キャメロン、ガリィの物語の続きに意欲',
    'Cameron still hopes to return to Kishiro’s cyborg heroine',
    'Rodriguez sogna di riportare la guerriera di Kishiro sul grande schermo',
    'Rodriguez quer trazer a heroína de Kishiro de volta',
    'Kishiro and Cameron discuss a second film',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  // Namesakes and things that are not the film: records, boats, games, "not for Alita", the manga.
  it.each([
    'DJ Nebula presenta «Alita 2», su nuevo álbum',
    'The band Alita returns with Alita 2, a synthwave EP on vinyl',
    'Le DJ Orka sort « Alita 2 » en vinyle',
    'O iate Alita II vence a regata de Cascais',
    'Il veliero Alita II primo alla regata di Sanremo',
    'Sailboat Alita 2 wins the Fastnet race',
    'Alita : le jeu mobile vous fait revenir à Iron City',
    'Alita: un videojuego para volver a Ciudad Hierro',
    'Rosa Salazar torna al cinema, ma non per Alita: il suo prossimo film è un thriller',
    'Rosa Salazar returns to sci-fi, but not for Alita',
    'Christoph Waltz wieder im Kino, aber nicht für Alita',
    'Rosa Salazar vuelve al cine, pero no para Alita',
    'Rosa Salazar e Keean Johnson juntos de novo, mas não para Alita',
    'ローサ・サラザール、アリータではなく新作ホラーで主演',
    'Christoph Waltz e Rosa Salazar: il loro prossimo film insieme',
  ])('not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));
});

describe('fifth tuning round: namesakes called Alita 2, negations after the name, re-releases, other works\' sequels, cast waiting for the call', () => {
  // Products, games, boats and sounds called "Alita 2": a sequel title does not outweigh them.
  it.each([
    'Alita 2 widget pack brings new theming options to your launcher',
    'Le launcher Alita 2 ajoute des widgets et un nouveau thème',
    'Alita 2: el roguelike independiente llega a Steam en acceso anticipado',
    'Alita II, il roguelike indie, arriva in accesso anticipato su Steam',
    '『ALITA 2』はローグライクの傑作、インディーシューターの新星',
    'Class 40 : Alita 2 en tête de la Transat Jacques Vabre',
    'Alita II vince la Barcolana nella classe crociera',
    'Le skipper d’Alita II a démâté au large de Brest',
    'Ce son « Alita 2 » est partout sur TikTok',
    'The “Alita 2” sound everyone is using on TikTok',
    'Alita 2, o jogo indie, chega ao Steam — sem relação com o filme de Rodriguez',
  ])('not the film: %s', (title) => expect(onTopic(title)).toBe(false));

  it('nor a game that disowns the film and any sequel', () => {
    expect(onTopic('El gacha de Alita estrena temporada', 'Trae un modo Motorball. Nada que ver con la peli ni con una continuación.')).toBe(false);
  });

  it.each([
    'Alita 2 : Rodriguez veut tourner la suite du film avant le jeu vidéo',
    'Alita 2: Cameron says the film has nothing to do with the mobile game',
    'Alita 2 no es un rumor: Rodriguez confirma la secuela',
    'Keean Johnson não é só Hugo: ele quer voltar para Alita 2',
  ])('but the film when it is the film: %s', (title) => expect(onTopic(title)).toBe(true));

  // Named as what the item is not, after the news: "… but not Alita", "pero no es Hugo".
  it.each([
    'Christoph Waltz signs on for a sequel – but not Alita',
    'Rosa Salazar retrouve un rôle culte… mais ce n’est pas Alita',
    'Keean Johnson vuelve a una saga, pero no es Alita',
    'Jennifer Connelly dreht eine Fortsetzung, aber nicht von Alita',
    'Rodriguez gira un sequel: e no, non è Alita',
    'Rodriguez anuncia nova sequência — mas não é Alita',
    'ロドリゲス監督の新作は続編、でもアリータ2じゃない',
    'Keean Johnson, l’attore di Alita, torna in un sequel: ma non è Hugo',
  ])('not about Alita: %s', (title) => expect(onTopic(title)).toBe(false));

  // Back on a streaming service, and another work's sequel named beside it.
  it.each([
    'Alita: Battle Angel fait son grand retour sur Disney+, parmi les nouveautés du catalogue',
    'Novità Disney+ di aprile: il ritorno di Alita - Angelo della battaglia',
    'Neu auf Netflix: Alita: Battle Angel kehrt zurück',
    '『アリータ』が見放題に帰ってくる、今月の配信まとめ',
    '今週の配信：『アリータ』見放題スタート、『デューン』続編も配信開始',
    '『アリータ』のロドリゲス監督、『ハイプノティック』続編の撮影を開始',
  ])('a re-release or another work\'s sequel: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'Rosa Salazar veut faire son retour dans la peau d’Alita',
    'Rodriguez: nach Hypnotic kommt endlich die Alita-Fortsetzung',
  ])('but the film coming back is the sequel: %s', (title) => expect(onTopic(title)).toBe(true));

  it('an actor credited by their part, in another film with a sequel, in the fan feed', () => {
    expect(inFanFeed('Nova-Darsteller Edward Norton in einem Actionfilm gesehen – und jetzt kommt eine Fortsetzung?')).toBe(false);
  });

  // Waiting for the call, a script already written, signs of life, a story not finished, more films.
  it.each([
    'Christoph Waltz über Alita: „Ich bin bereit, wenn Rodriguez anruft“',
    'Rosa Salazar (Alita): «Estoy lista para cuando Robert me llame»',
    'Jennifer Connelly on Alita: “I’m ready whenever Iron City calls”',
    'Cameron: la sceneggiatura di Alita è già scritta',
    'Rodriguez sur Alita : « Le scénario est déjà écrit »',
    'ロドリゲス「アリータの脚本はもう書いてある」',
    'Alita: Battle Angel – ein Lebenszeichen von Rodriguez',
    'Alita da señales de vida: Cameron vuelve a hablar de Zalem',
    'Cameron sobre Zalem: «La historia no está terminada»',
    'Rodriguez : l’histoire d’Iron City n’est pas terminée',
    'ロドリゲス「ザレムを描かずには終われない」',
    'Cameron: hay material para tres películas más de Alita',
    'ロドリゲス、アリータでもう一本撮りたい',
    'Alita merita un seguito, dice Rodriguez',
    'Cameron su Alita: «Prima o poi vogliamo rimetterci le mani»',
    'Alita : ce que le box-office dit des chances d’un deuxième tome',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  // A part played again: a way back, playing or becoming a character again, for Alita once more.
  it.each([
    'Keean Johnson: «Hay una manera de volver para Hugo»',
    'Mahershala Ali would love to play Vector again',
    'Christoph Waltz adoraria voltar a ser o Dr. Ido',
    'Rosa Salazar: „Für Alita würde ich das alles noch einmal machen“',
    'Rodriguez spricht mit Rosa Salazar über ihren zweiten Auftritt als Alita',
    'Cameron promete a Alita su segundo capítulo',
    'Rosa Salazar quiere volver a ser Gally',
    'Rosa Salazar and Rodriguez still talk about where Alita goes next',
    '『銃夢』木城ゆきと、映画版の続きについて語る',
    'ローサ・サラザール、“再演”に意欲 「あの大きな目にもう一度」',
    'エドワード・ノートン、ノヴァ役での再登場に前向き',
    '『アリータ』を待ち続けるファンたち',
    'Alita Army: “We never give up on Alita”',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  it.each([
    'Maze Runner reboot: who will play Gally again?',
    '銃夢の続き（Last Order）を一気読み',
    'Alita ha avuto un grande seguito di fan in Cina',
  ])('not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));

  // In the fan feed: the one that follows, coming back, a billboard fund.
  it.each([
    'Ojalá en la que sigue salga más Zalem',
    '¿Rodriguez sigue con lo de la segunda?',
    'Si Keean regresa como Hugo, yo feliz',
    'キーンがヒューゴとして戻ってくるなら見たい',
    '新宿にビルボードを出すためにカンパ募集中',
  ])('in a feed about Alita: %s', (title) => expect(inFanFeed(title)).toBe(true));

  // A Reddit user's name is no mention of the film.
  it('reads past a Reddit user name', () => {
    expect(onTopic('Is a sequel finally happening?', 'submitted by /u/iron_city_fan')).toBe(false);
    expect(onTopic('Is a sequel finally happening for Iron City?', 'submitted by /u/someone')).toBe(true);
  });

  // The quick look before the full matcher: never misses a name, rarely sends a stranger on.
  it('probes names written apart, and actors only with their part', () => {
    for (const text of ['ミシェル・ロドリゲス、ゲルダ役で', 'アイアン・シティ再訪', 'Back to Iron-City', '#TeamAlita forever', 'Christoph Waltz would play Ido again']) {
      expect(mayMention([text], topic), text).toBe(true);
    }
    for (const text of ['Iron Meridian wraps filming', 'Christoph Waltz joins a western', 'A change of range in orange']) {
      expect(mayMention([text], topic), text).toBe(false);
    }
  });
});

describe('sixth round: the kinds behind seen5 and seen6', () => {
  it.each([
    // Waiting for the call, or for its turn.
    'Christoph Waltz on Iron City: "I\'m just waiting for the phone to ring"',
    'Keean Johnson sobre Alita: «Sigo esperando la llamada de Robert»',
    'Jennifer Connelly: „Ich warte nur auf den Anruf" – Alita bleibt ihr Herzensprojekt',
    'James Cameron: Alita no está enterrada, solo espera su turno',
    // Putting the body or the suit back on.
    'Rosa Salazar would put the mocap suit back on for Alita tomorrow',
    'Rosa Salazar : « Je renfilerais l\'armure d\'Alita sans hésiter »',
    'Rosa Salazar würde sofort wieder in den Cyborg-Körper von Alita steigen',
    // Returning as a character, German particle last; going back with an adverb between.
    'Kommt Mahershala Ali als Vector zurück? Alita-Gerüchte verdichten sich',
    'Alita: Michelle Rodriguez tornerebbe subito come Gelda',
    'Keean Johnson voltaria hoje mesmo a Iron City',
    // The studio's yes, reviving the franchise, seeing each other in Iron City.
    'Alita: "Estamos só à espera que a Disney diga que sim", diz Rodriguez',
    'Rumor: Rodriguez wants to revive the Alita franchise at Disney',
    'Salazar aos fãs da Alita Army: "Nos vemos de novo em Iron City"',
    // No sequel yet, a story half told, not buried, not given up.
    'Alita : pourquoi le film n\'a jamais eu de suite',
    'Rodriguez: "Alita is only halfway there, we told half the story"',
    'Waltz: Gally ist nicht begraben, Alita ist nur in der Warteschlange',
    'Robert Rodriguez: "La historia de Iron City no terminó"',
    'Rosa Salazar agli Alita fan: «Non mollate, Gally non ha finito»',
    // Wanting or making a second one, the Alita sequel as a compound.
    'Alita: Rodriguez says they could make a second one for less money',
    'Fans de Alita a Rosa Salazar: queremos la segunda',
    'Die Alita-Fortsetzung der Fans: Petition wächst',
    // Japanese: back to Iron City, playing her again, the story goes on, Alita's next, chapter 2.
    'ローサ・サラザール「ザレムに戻る日を待ってる」アリータ',
    'ローサ「再びガリィを演じたい」アリータ',
    '木城ゆきと「アリータの物語は続いてほしい」',
    'キャメロン「アリータの次を撮りたい」',
    'ハリウッド版『銃夢』第2章はあるのか',
  ])('%s', (title) => expect(onTopic(title)).toBe(true));

  it.each([
    // A name given to something else: a ring, a boat, a pet, an album, a song trending on TikTok.
    'Alita 2 smart ring review: the best sleep tracking of 2026',
    'Meet Alita II, the 40-foot catamaran built in a Dutch shipyard',
    'My cat is called Alita and the new kitten will be Alita 2',
    'The Alita 2 album by a synthwave band is out now',
    'Das Debüt der Band heißt „Alita II" – und klingt nach Film',
    'Lyna K lance « Alita 2 », le son qui cartonne sur TikTok',
    'Ein Indie-Spiel namens Alita II: kein Bezug zum Film',
    'O jogo indie «Alita 2» não tem ligação com o filme de James Cameron',
    // Said not to be Alita: the part alone does not name it then.
    'Rosa Salazar returns in a mocap suit — but not as Alita',
    'James Cameron is back in cyborg territory, but it isn\'t for Alita',
    'Rodriguez: "Mi nueva película no es la secuela de Alita"',
    // Another work's trilogy, season, series, fan game; the story going on in another medium.
    'Alita: Battle Angel returns to Disney+ along with the original trilogy of Star Wars',
    'Rosa Salazar se une al reparto de la segunda temporada de una serie',
    '«Motorball 2», un jeu indé inspiré d\'Iron City, annonce une suite',
    'Alita: Motorball Rush – the story continues on your phone',
    'Kishiro launches a new Gunnm sequel manga',
    'Kishiro dice que no va a continuar la historia de Alita',
  ])('not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'Qualcuno ha notizie per il 2?',
    'Vous voulez qui comme méchant pour le 2 ?',
  ])('in a feed about Alita, "the 2" is the next film: %s', (title) => expect(inFanFeed(title)).toBe(true));

  it.each([
    'Alita : le film ressort le 2',
    'Fini Last Order, vivement la suite (du manga, hein)',
  ])('in a feed about Alita, not the film sequel: %s', (title) => expect(inFanFeed(title)).toBe(false));

  it('reads no evidence in a Reddit user name', () => {
    expect(inFanFeed('Found an album called Alita 2 on Spotify', 'submitted by /u/motorball_fan [link] [comments]')).toBe(false);
  });

  it('lets a re-release word undo a going-back phrase only near it', () => {
    expect(onTopic('Alita: Battle Angel returns to theaters: go back to Iron City this weekend')).toBe(false);
    expect(
      onTopic('Week in Review: Avatar runtime, a reboot and more', 'Plus: Rosa Salazar told fans at a convention that she has talked with Rodriguez about going back to Iron City.'),
    ).toBe(true);
  });
});

describe('seventh round: structural kinds behind seen7', () => {
  it.each([
    // A bare sequel title with nothing of the film around it: a horse, a boat, a book.
    '«Alita II» gana el concurso de saltos de Madrid',
    'Segelregatta: „Alita II“ siegt vor Kiel',
    'Il pony «Alita 2» vince a Verona',
    // Something said to be called Alita 2, film words around it or not.
    'Un gioco per cellulari che si chiama Alita 2 copia le immagini del film',
    'Hay una app que se llama «Alita 2» y usa fotos de la peli',
    // The manga going on, or where to start reading it.
    'Kishiro annonce un nouvel arc de Gunnm chez Kodansha : l\'histoire de Gally continue',
    'Dopo il film conviene leggere il manga? Voglio sapere come continua la storia di Gally',
    // A cast member's own next film, a sequel denied as soon as it is named.
    'Rosa Salazar: «Mi próximo film es una secuela, pero no la que esperáis» (Alita)',
    // Another work's genre, in the item's language, owns the sequel word beside it.
    'Christoph Waltz (Alita) rejoint la suite d\'une comédie d\'espionnage',
    '‘Battle Angel’, el juego de lucha indie, tendrá secuela',
    // "Not here to": a disclaimer before the sequel word.
    'Alita: Battle Angel box office breakdown — not here to talk sequel, just numbers',
  ])('not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    // A sequel title with the film around it still stands.
    'Alita 2: Disney confirma el rodaje para 2027',
    'Is Alita 2 happening? Everything we know',
    // A cast member saying they would come back, outside a feed about Alita: near the name, no other work.
    'Keean Johnson: «Alita? Je reviendrais demain»',
    'Christoph Waltz über Alita: „Ich würde sofort zurückkommen“',
    // Carrying the story on, in the cast's and crew's own words.
    'Robert Rodriguez: «Alita? Siamo pronti a ripartire da dove ci eravamo fermati»',
    'James Cameron wants to let Alita keep fighting once Avatar is done',
    'Rosa Salazar: “Vestiria aquele corpo de Alita outra vez” ',
    'Jennifer Connelly espera que Rodriguez leve a história de Alita adiante',
    // A relative asking for the sequel: the sequel phrase holds the name.
    'Il seguito di Alita arriverà? Mia figlia lo chiede ogni sera',
    // The fans' campaign, named in each language.
    '#AlitaArmy: la campagne pour Alita reprend à Paris',
  ])('the sequel: %s', (title) => expect(onTopic(title)).toBe(true));

  it.each([
    'Ci credete ancora?',
    'Wen würdet ihr als Zapan besetzen? Norton bleibt Nova',
    'Avatar 4 ist fertig. Sind wir jetzt endlich dran?',
    'Qualcuno ha notizie sul secondo o siamo ancora a zero?',
    '2やるならザパン戦までかな',
    'Campaña: faltan 10k firmas para el espectacular',
  ])('in a feed about Alita, a question about the next film without a sequel word: %s', (title) => expect(inFanFeed(title)).toBe(true));

  it.each([
    'Rosas neuer Film startet heute – hat nix mit Alita zu tun',
    'Vale a pena ler o mangá depois do filme? Quero saber como a história continua',
    'ローサの新作観た。ガリィとは真逆の役、次の映画も楽しみ',
  ])('in a feed about Alita, not the film sequel: %s', (title) => expect(inFanFeed(title)).toBe(false));
});

describe('eighth round: structural kinds behind seen8', () => {
  it.each([
    // Alita named only in a clause crediting someone, in an item about another work's sequel or new season.
    ['Hulu renews the heist comedy for a second season', 'Keean Johnson, who played Hugo in Alita: Battle Angel, will reprise his role.'],
    ['Netflix renueva la comedia de espías', 'Eiza González, que interpretó a Nyssiana en Alita, vuelve en la secuela.'],
    ['La série policière revient pour une saison 2', 'Ed Skrein, qui incarnait Zapan dans Alita, sera de la suite.'],
    ['La serie horror torna con la seconda stagione', "L'interprete di Chiren in Alita, Jennifer Connelly, ci sarà anche nel seguito."],
    ['A série de espionagem ganha segunda temporada', 'Christoph Waltz, que foi o Dr. Ido em Alita, está na continuação.'],
    ['Die Thriller-Serie bekommt eine zweite Staffel', 'Jennifer Connelly, die in Alita die Chiren spielte, ist in der Fortsetzung wieder dabei.'],
    ['スパイドラマ、シーズン2製作決定', '『アリータ』でイドを演じたクリストフ・ヴァルツも続編に復帰する。'],
    // An article in parts: its next part is the next article.
    ['Alita: Battle Angel – die Effekte, Teil 1', 'Wie Weta die Straßen von Iron City aus Modellen baute. Im nächsten Teil: die Kostüme. Fortsetzung folgt.'],
    ['Alita: Battle Angel VFX breakdown, part 1', 'How Weta built the streets of Iron City from miniatures. In the next chapter: the costumes. To be continued.'],
  ])('not the film sequel: %s / %s', (title, summary) => expect(onTopic(title, summary)).toBe(false));

  it.each([
    // Another work named as the one whose sequel it is.
    'Alita star Rosa Salazar in talks for the sequel to Lowlands',
    'Keean Johnson, de Alita, estará en la secuela de Medianoche en Tulsa',
    'Alita-Star Ed Skrein im Sequel zu „Nachtzug nach Lissabon“',
    'Alita, la star Rosa Salazar nel prequel di Ombre sul lago',
    'Jennifer Connelly, de «Alita», confirmada na sequela de «Casa de Areia»',
    // A thing named after the film, or inspired by it: the film is its model.
    'Alita 2, a prosthetic hand named after the film\'s cyborg heroine',
    'Alita 2, la protesi bionica ispirata al film di Rodriguez',
    'Alita 2, la prothèse imprimée en 3D inspirée du film de James Cameron',
    '映画『アリータ』にちなんで名付けられた義手「ALITA 2」が登場',
    // "II" read as a name's ordinal; a sailing boat in Japanese; a game with its article.
    '競走馬アリータ2世がデビュー',
    'セーリング艇「アリータII」、再びレースへ',
    'El juego «Alita» suma un millón de descargas y tendrá secuela',
    'Il gioco «Alita» arriva su Switch, e c\'è già un seguito in lavorazione',
  ])('not the film sequel: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    // A credit alone, with no other work named, still leaves the item Alita's.
    'Rosa Salazar, who played Alita, says the sequel script is ready',
    // The sequel of Alita, however it is written after "of".
    'Rosa Salazar on the sequel to James Cameron’s Alita',
    'Kishiro habla de la secuela de la película de Rodriguez: Alita sigue viva',
    // Far from over; a lot left to tell.
    'Rodriguez: Alita’s story is far from over',
    'Waltz: «La historia de Alita está lejos de haber terminado»',
    'Kishiro : « L’aventure d’Alita est loin d’être finie »',
    'Connelly: «La storia di Alita è lontana dall’essere finita»',
    'Landau: Alita ist noch lange nicht vorbei',
    'Rosa Salazar: Alita has a lot left to tell',
    'Keean Johnson: «Alita tiene mucho por contar»',
    'Cameron: «Alita ha ancora molto da raccontare»',
    'Rosa Salazar: „Alita hat noch viel zu erzählen“',
    // On ice, shelved (not a release put on hold).
    'Alita: why Disney keeps Iron City on ice',
    'Alita: Disney tiene Iron City en el congelador',
    'Alita: a Disney deixou Iron City engavetada',
    'アリータ、ディズニーで企画が宙に浮いたまま',
    // Films counted in Japanese.
    'アリータ、2本目はあるのか',
    'ロドリゲス「アリータは三作目まで考えている」',
    // Reaching Zalem, where the first film's last shot points.
    'Rodriguez wants Alita to finally reach Zalem',
    'Cameron: «Quiero ver a Alita llegar a Zalem»',
    'Salazar : « J’aimerais voir Alita arriver à Zalem »',
    'Waltz: «Voglio vedere Alita salire a Zalem»',
    'Fans hoffen, dass Alita doch noch nach Zalem kommt',
    'ガリィがザレムに上がるところを見たい',
    // We'll go back; work starting again; the project reopened.
    'Rodriguez: «Volveremos a Iron City»',
    'Landau: «Un giorno ritorneremo a Iron City»',
    'Waltz: "Voltaremos a Iron City, prometo"',
    'Weta tiene todo guardado para cuando se retome Alita',
    'Alita: Disney could reopen the Alita project, says Landau',
    'Alita: la Disney potrebbe riaprire il progetto',
    // The cyborg girl with her director or producer; back to Dr. Ido; when the phone rings.
    'Cameron e Rodriguez ainda falam do próximo capítulo da garota ciborgue',
    'ロドリゲス監督、サイボーグ少女の続編に意欲',
    '新作スリラーに出演のヴァルツ、イド先生への復帰は「いつでも」',
    'ジェニファー・コネリー、チレン役について「電話があればいつでも」',
  ])('the sequel: %s', (title) => expect(onTopic(title)).toBe(true));

  it.each([
    'Alita points her sword at Zalem: the ending explained',
    'Review: Alita, and Hugo\'s dream to reach Zalem',
    'In Alita: Battle Angel, Hugo wants to get to Zalem at any cost',
    'Alita: Battle Angel 4K release on hold',
    'James Cameron on Terminator: the cyborg returns',
  ])('not the sequel: %s', (title) => expect(onTopic(title)).toBe(false));

  it.each([
    'Let\'s be real, they\'ll never make it',
    'Sejamos realistas: nunca vão fazer',
    'Qualcuno sa se si riparte davvero?',
  ])('in a feed about Alita, sequel talk without a sequel word: %s', (title) => expect(inFanFeed(title)).toBe(true));
});
